-- Batch loads of the ingest step (src/iot_ingest/warehouse/load.py). Each reads a registered
-- Arrow batch named `batch`; all run inside one transaction per batch.

-- name: known_responses
SELECT r.response_id
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
    content_response_id = excluded.content_response_id
WHERE excluded.last_seen_at > articles.last_seen_at
   OR (excluded.last_seen_at = articles.last_seen_at
       AND excluded.content_response_id > articles.content_response_id);

-- name: widen_first_seen
-- A capture older than any loaded before moves first_seen_at back, and the canonical URL with it.
UPDATE articles SET first_seen_at = batch.first_seen_at, url = batch.url
FROM batch
WHERE articles.article_id = batch.article_id
  AND batch.first_seen_at < articles.first_seen_at;

-- name: mark_exact_copies
-- The same body text on several sites: every later article is a verbatim copy of the earliest
-- (earliest publication, then first seen, then id, so the answer does not depend on load order).
-- Recomputed for the body hashes a batch touched.
UPDATE articles SET
    duplicate_of = ranked.original,
    copy_kind = CASE WHEN ranked.original IS NULL THEN NULL ELSE 'verbatim' END
FROM (
    SELECT
        article_id,
        CASE WHEN article_id = first_value(article_id) OVER w THEN NULL
             ELSE first_value(article_id) OVER w END AS original
    FROM articles
    WHERE body_hash IN (SELECT unnest(?::VARCHAR[]))
    WINDOW w AS (
        PARTITION BY body_hash
        ORDER BY published_at NULLS LAST, first_seen_at, article_id
    )
) ranked
WHERE articles.article_id = ranked.article_id
  AND (articles.copy_kind IS NULL OR articles.copy_kind = 'verbatim');

-- name: archived_responses
-- Every archived response, oldest first: what `reprocess` reads back from the raw archive.
SELECT warc_file, warc_offset, warc_length, origin, source
FROM responses
ORDER BY fetched_at, url, response_id;

-- name: clear_derived
-- What reprocess rebuilds from the archive (in the same transaction as the rebuild).
DELETE FROM sightings;
DELETE FROM article_urls;
DELETE FROM articles;
DELETE FROM ingest_errors WHERE stage = 'extract';
