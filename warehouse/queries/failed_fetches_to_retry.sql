-- Which URLs failed and are waiting for a retry? A URL whose latest attempt got no response
-- (network error), a 5xx or a 429, and that has not been fetched successfully since: the same
-- rule `iot-ingest run` and `iot-ingest fetch --retry-failed` use to pick what to retry. With
-- how often it failed and the latest reason, worst first.
-- Run: iot-ingest query --file warehouse/queries/failed_fetches_to_retry.sql
WITH attempts AS (
    SELECT
        url, source, status, error, skipped, requested_at,
        row_number() OVER (PARTITION BY url ORDER BY requested_at DESC, fetch_id DESC) AS newest,
        count(*) FILTER (WHERE status IS NULL OR status >= 500 OR status = 429) OVER (PARTITION BY url) AS failures
    FROM fetches
    WHERE url NOT LIKE '%/robots.txt'
)
SELECT
    url,
    lower(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1)) AS host,
    source,
    coalesce(CAST(status AS VARCHAR), 'network error') AS last_status,
    error AS last_error,
    requested_at AS last_tried_at,
    failures
FROM attempts
WHERE newest = 1 AND skipped IS NULL AND (status IS NULL OR status >= 500 OR status = 429)
ORDER BY failures DESC, last_tried_at DESC, url;
