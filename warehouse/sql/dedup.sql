-- Statements of the deduplication step (src/iot_ingest/ingest/dedup_step.py).

-- name: bodies
SELECT article_id, body_text, coalesce(site, publisher, '') FROM articles
WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: paragraphs_of
SELECT DISTINCT paragraph_hash FROM article_paragraphs WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: boilerplate_among
-- Of these paragraphs, those that the publisher that carried them first repeats in at least ? of
-- its articles: its footer. Text a publisher repeats after another printed it is quoted, and kept.
-- First: published (else first seen), then first seen; publishers tied for first own nothing.
WITH carriers AS (
    SELECT p.paragraph_hash, p.publisher,
           rank() OVER (
               PARTITION BY p.paragraph_hash
               ORDER BY coalesce(a.published_at, a.first_seen_at) NULLS LAST, a.first_seen_at NULLS LAST
           ) AS place
    FROM article_paragraphs p JOIN articles a USING (article_id)
    WHERE p.paragraph_hash IN (SELECT unnest(?::BIGINT[]))
),
owners AS (
    SELECT paragraph_hash, min(publisher) AS publisher FROM carriers WHERE place = 1
    GROUP BY paragraph_hash HAVING count(DISTINCT publisher) = 1
)
SELECT paragraph_hash FROM carriers JOIN owners USING (paragraph_hash, publisher)
GROUP BY paragraph_hash
HAVING count(*) >= ?;

-- name: articles_with_paragraphs
SELECT DISTINCT article_id FROM article_paragraphs WHERE paragraph_hash IN (SELECT unnest(?::BIGINT[]));

-- name: forget_paragraphs
DELETE FROM article_paragraphs WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: insert_paragraphs
INSERT INTO article_paragraphs BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;

-- name: forget_signatures
DELETE FROM article_signatures WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: forget_bands
DELETE FROM article_bands WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: forget_copies
DELETE FROM article_copies
WHERE article_a IN (SELECT unnest(?::VARCHAR[])) OR article_b IN (SELECT unnest(?::VARCHAR[]));

-- name: insert_signatures
INSERT INTO article_signatures BY NAME SELECT * FROM batch;

-- name: insert_bands
INSERT INTO article_bands BY NAME SELECT * FROM batch;

-- name: insert_copies
INSERT INTO article_copies BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;

-- name: candidates
-- Articles sharing at least one LSH band with a touched article: the pairs worth verifying.
SELECT DISTINCT mine.article_id, theirs.article_id
FROM article_bands mine
JOIN article_bands theirs ON theirs.band_hash = mine.band_hash AND theirs.article_id <> mine.article_id
WHERE mine.article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: copies_of
SELECT article_a, article_b, kind FROM article_copies
WHERE article_a IN (SELECT unnest(?::VARCHAR[])) OR article_b IN (SELECT unnest(?::VARCHAR[]));

-- name: article_info
SELECT article_id, published_at, first_seen_at, site = 'gov.uk' OR publisher = 'GOV.UK' AS official,
       coalesce(is_relevant, false),
       TRY_CAST(facts ->> 'institute_count' AS INTEGER), TRY_CAST(facts ->> 'funding_gbp' AS BIGINT),
       CAST(facts -> 'institutes' AS VARCHAR)
FROM articles
WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: set_original
UPDATE articles SET duplicate_of = batch.duplicate_of, copy_kind = batch.copy_kind
FROM batch WHERE articles.article_id = batch.article_id;

-- name: relevant_info
SELECT article_id, published_at, first_seen_at, site = 'gov.uk' OR publisher = 'GOV.UK' AS official,
       true,
       TRY_CAST(facts ->> 'institute_count' AS INTEGER), TRY_CAST(facts ->> 'funding_gbp' AS BIGINT),
       CAST(facts -> 'institutes' AS VARCHAR)
FROM articles
WHERE is_relevant;

-- name: all_copies
SELECT article_a, article_b, kind FROM article_copies;

-- name: previous_announcements
SELECT article_id, announcement_id FROM articles WHERE announcement_id IS NOT NULL;

-- name: clear_announcements
DELETE FROM announcement_institutes;
DELETE FROM announcements;
UPDATE articles SET announcement_id = NULL WHERE announcement_id IS NOT NULL;

-- name: insert_announcements
INSERT INTO announcements BY NAME SELECT * FROM batch;

-- name: set_announcement
UPDATE articles SET announcement_id = batch.announcement_id
FROM batch WHERE articles.article_id = batch.article_id;

-- name: insert_aliases
INSERT INTO announcement_aliases BY NAME SELECT * FROM batch
ON CONFLICT (old_id) DO UPDATE SET new_id = excluded.new_id, aliased_at = excluded.aliased_at;

-- name: originals_of
SELECT article_id, title, ((published_at AT TIME ZONE 'Europe/London')::DATE) AS announced_on
FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: announcement_facts
-- What each member article says: the announcement's count, sum and institutes are chosen from these.
SELECT article_id, TRY_CAST(facts ->> 'institute_count' AS INTEGER), TRY_CAST(facts ->> 'funding_gbp' AS BIGINT),
       CAST(facts -> 'institutes' AS VARCHAR)
FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: insert_announcement_institutes
INSERT INTO announcement_institutes BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;
