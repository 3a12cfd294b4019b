-- Statements of source state, backfill windows and discovery (src/iot_ingest/sources/state.py).

-- name: get_state
SELECT value FROM source_state WHERE source = ? AND key = ?;

-- name: all_state
SELECT key, value FROM source_state WHERE source = ? AND value IS NOT NULL;

-- name: latest_fetches
-- `latest_fetch` for many URLs at once, read when a unit has discovered its items: the latest
-- sighting of the article at any address it is known by (an item whose link redirects is known
-- by the link too), else of the URL itself.
WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS url)
SELECT url, max(fetched_at)
FROM (
    SELECT w.url, s.fetched_at
    FROM wanted w JOIN article_urls u USING (url) JOIN sightings s ON s.article_id = u.article_id
    UNION ALL
    SELECT w.url, s.fetched_at FROM wanted w JOIN sightings s USING (url)
)
GROUP BY url;

-- name: latest_fetches_under
-- `latest_fetches` for every URL under a source's host (`https://host/`), read when a unit starts.
WITH prefixes AS (SELECT unnest(?::VARCHAR[]) AS prefix)
SELECT url, max(fetched_at)
FROM (
    SELECT u.url, s.fetched_at
    FROM article_urls u JOIN sightings s ON s.article_id = u.article_id
    WHERE EXISTS (SELECT 1 FROM prefixes p WHERE starts_with(u.url, p.prefix))
    UNION ALL
    SELECT s.url, s.fetched_at FROM sightings s
    WHERE EXISTS (SELECT 1 FROM prefixes p WHERE starts_with(s.url, p.prefix))
)
GROUP BY url;

-- name: set_state
INSERT INTO source_state (source, key, value, updated_at) VALUES (?, ?, ?, now())
ON CONFLICT (source, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;

-- name: window_status
SELECT status FROM backfill_windows WHERE source = ? AND since = ? AND until = ?;

-- name: start_window
INSERT INTO backfill_windows (source, since, until, status, started_at, run_id)
VALUES (?, ?, ?, 'pending', now(), ?)
ON CONFLICT (source, since, until) DO UPDATE SET
    status = 'pending', reason = NULL, started_at = excluded.started_at, finished_at = NULL,
    run_id = excluded.run_id;

-- name: finish_window
UPDATE backfill_windows SET status = ?, reason = ?, items = ?, finished_at = now()
WHERE source = ? AND since = ? AND until = ?;

-- name: latest_fetch
-- When the URL last yielded a loaded article, if ever. A capture archived but not loaded (out of
-- a backfill's range) does not count: a later backfill of its own range must still load it.
SELECT max(fetched_at) FROM sightings WHERE url = ?;

-- name: insert_skipped
INSERT INTO skipped_items BY NAME SELECT * FROM batch;

-- name: record_schedule
INSERT INTO source_schedules (source, kind, expected_every_hours, recorded_at) VALUES (?, ?, ?, now())
ON CONFLICT (source) DO UPDATE SET
    kind = excluded.kind, expected_every_hours = excluded.expected_every_hours, recorded_at = excluded.recorded_at;
