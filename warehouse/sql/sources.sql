-- Statements of source state, backfill windows and discovery (src/iot_ingest/sources/state.py).

-- name: get_state
SELECT value FROM source_state WHERE source = ? AND key = ?;

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
