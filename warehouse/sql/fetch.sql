-- Statements of the fetch runner (src/iot_ingest/ingest/fetch_urls.py).

-- name: validators
SELECT etag, last_modified FROM http_validators WHERE url = ?;

-- name: validators_of
SELECT v.url, v.etag, v.last_modified
FROM http_validators v
JOIN (SELECT unnest(?::VARCHAR[]) AS url) wanted USING (url);

-- name: validators_under
-- Every validator under a source's hosts (`https://host/`), read once when a unit starts.
SELECT v.url, v.etag, v.last_modified
FROM http_validators v
JOIN (SELECT unnest(?::VARCHAR[]) AS prefix) wanted ON starts_with(v.url, wanted.prefix);

-- name: upsert_validators
INSERT INTO http_validators BY NAME SELECT * FROM batch
ON CONFLICT (url) DO UPDATE SET
    etag = excluded.etag, last_modified = excluded.last_modified, updated_at = excluded.updated_at;

-- name: insert_fetches
INSERT INTO fetches BY NAME SELECT * FROM batch;

-- name: failed_urls
-- URLs whose latest attempt failed with a network error, a 5xx or a 429 and that have not been
-- fetched successfully since: what the next run (or a sweep) retries. The parameter, when not
-- NULL, keeps only the URLs a given source fetched last.
SELECT url
FROM (
    SELECT url, status, skipped, source,
           row_number() OVER (PARTITION BY url ORDER BY requested_at DESC, fetch_id DESC) AS newest
    FROM fetches
    WHERE url NOT LIKE '%/robots.txt'
)
WHERE newest = 1 AND skipped IS NULL AND (status IS NULL OR status >= 500 OR status = 429)
  AND ($source IS NULL OR source = $source)
ORDER BY url;
