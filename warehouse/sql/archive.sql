-- Statements of the raw archive's crash recovery (src/iot_ingest/warehouse/connection.py).

-- name: committed_ends
-- Where each archive file's committed records end: anything after is an interrupted write.
SELECT warc_file, max(warc_offset + warc_length) FROM responses GROUP BY warc_file;

-- name: first_run
SELECT min(started_at) FROM runs;

-- name: record_set_aside
INSERT INTO ingest_errors (error_id, run_id, stage, location, url, reason, recorded_at)
VALUES (?, NULL, 'archive', ?, NULL, ?, ?)
ON CONFLICT DO NOTHING;
