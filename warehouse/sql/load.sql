-- Batch loads of the ingest step (src/iot_ingest/warehouse/load.py). Each reads a registered
-- Arrow batch named `batch`; all run inside one transaction per batch.

-- name: known_responses
-- Captures already archived: where, and whether they ever yielded a loaded article.
SELECT r.response_id, r.warc_file, r.warc_offset, r.warc_length,
       EXISTS (SELECT 1 FROM sightings s WHERE s.response_id = r.response_id) AS loaded
FROM responses r
JOIN (SELECT unnest(?::VARCHAR[]) AS response_id) wanted USING (response_id);

-- name: articles_by_url
SELECT u.url, u.article_id
FROM article_urls u
JOIN (SELECT unnest(?::VARCHAR[]) AS url) wanted USING (url);

-- name: articles_by_text
SELECT a.site, a.body_hash, a.article_id
FROM articles a
JOIN (
    SELECT unnest(?::VARCHAR[]) AS site, unnest(?::VARCHAR[]) AS body_hash
) wanted ON a.site = wanted.site AND a.body_hash = wanted.body_hash;

-- name: insert_responses
INSERT INTO responses BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;

-- name: insert_sightings
INSERT INTO sightings BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;

-- name: insert_article_urls
INSERT INTO article_urls BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;

-- name: insert_errors
INSERT INTO ingest_errors BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;

-- name: upsert_articles
-- The content of the newest capture wins, whatever order captures are loaded in.
-- duplicate_of, copy_kind and announcement_id belong to the dedup step and are left alone here.
INSERT INTO articles BY NAME SELECT * FROM batch
ON CONFLICT (article_id) DO UPDATE SET
    source = coalesce(excluded.source, articles.source),
    publisher = excluded.publisher,
    title = excluded.title,
    description = excluded.description,
    published_at = excluded.published_at,
    published_at_source = CASE WHEN excluded.published_at IS NOT NULL THEN 'page' END,
    updated_at = excluded.updated_at,
    body_text = excluded.body_text,
    body_hash = excluded.body_hash,
    site = excluded.site,
    language = excluded.language,
    authors = excluded.authors,
    withdrawn = excluded.withdrawn,
    is_relevant = excluded.is_relevant,
    relevance_score = excluded.relevance_score,
    relevance_reasons = excluded.relevance_reasons,
    facts = excluded.facts,
    last_seen_at = excluded.last_seen_at,
    extractor_version = excluded.extractor_version,
    extraction_path = excluded.extraction_path,
    content_response_id = excluded.content_response_id
WHERE excluded.last_seen_at > articles.last_seen_at
   OR (excluded.last_seen_at = articles.last_seen_at
       AND excluded.content_response_id > articles.content_response_id);

-- name: upsert_article_topics
-- An article's scores per topic, from the capture its content now comes from (upsert_articles ran
-- first): a capture that lost to a newer one changes nothing. The announcement is the dedup step's.
INSERT INTO article_topics BY NAME
SELECT b.article_id, b.topic, b.is_relevant, b.relevance_score, b.relevance_reasons, b.facts, b.content_response_id
FROM batch b JOIN articles a ON a.article_id = b.article_id AND a.content_response_id = b.content_response_id
ON CONFLICT (article_id, topic) DO UPDATE SET
    is_relevant = excluded.is_relevant,
    relevance_score = excluded.relevance_score,
    relevance_reasons = excluded.relevance_reasons,
    facts = excluded.facts,
    content_response_id = excluded.content_response_id;

-- name: widen_first_seen
-- A capture older than any loaded before moves first_seen_at back, and the canonical URL with it.
UPDATE articles SET first_seen_at = batch.first_seen_at, url = batch.url
FROM batch
WHERE articles.article_id = batch.article_id
  AND batch.first_seen_at < articles.first_seen_at;

-- name: archived_responses
-- Every archived response, oldest first: what `reprocess` reads back from the raw archive.
SELECT warc_file, warc_offset, warc_length, origin, source, role
FROM responses
ORDER BY fetched_at, url, response_id;

-- name: clear_derived
-- What reprocess rebuilds from the archive (in the same transaction as the rebuild).
DELETE FROM sightings;
DELETE FROM article_urls;
DELETE FROM article_copies;
DELETE FROM article_bands;
DELETE FROM article_signatures;
DELETE FROM article_paragraphs;
DELETE FROM articles;
DELETE FROM article_topics;
DELETE FROM ingest_errors WHERE stage = 'extract';
DELETE FROM article_status_changes;

-- name: insert_status_changes
INSERT INTO article_status_changes BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;
