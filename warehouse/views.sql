-- Views over the warehouse, recreated by every writer after migrations. Analysts query these.

-- Articles with how many URLs and sightings each has.
CREATE OR REPLACE VIEW v_articles AS
SELECT
    a.article_id,
    a.published_at,
    a.publisher,
    a.title,
    a.url,
    a.is_relevant,
    a.duplicate_of,
    a.copy_kind,
    (SELECT count(*) FROM article_urls u WHERE u.article_id = a.article_id) AS url_count,
    (SELECT count(*) FROM sightings s WHERE s.article_id = a.article_id) AS sighting_count,
    a.first_seen_at,
    a.last_seen_at
FROM articles a;

-- Recorded failures, newest first.
CREATE OR REPLACE VIEW v_ingest_errors AS
SELECT recorded_at, stage, location, url, reason, run_id
FROM ingest_errors
ORDER BY recorded_at DESC;
