-- Statements of the CC-NEWS backfill's units of work (src/iot_ingest/ccnews/units.py).

-- name: plan_file
INSERT INTO ccnews_files (source, path, month, status, run_id)
VALUES (?, ?, ?, 'pending', ?)
ON CONFLICT (source, path) DO NOTHING;

-- name: files_of_month
SELECT path, status FROM ccnews_files WHERE source = ? AND month = ? ORDER BY path;

-- name: file_statuses
SELECT f.path, f.status
FROM ccnews_files f
JOIN (SELECT unnest(?::VARCHAR[]) AS source, unnest(?::VARCHAR[]) AS path) wanted USING (source, path);

-- name: start_file
UPDATE ccnews_files SET status = 'pending', reason = NULL, started_at = now(), finished_at = NULL, run_id = ?
WHERE source = ? AND path = ?;

-- name: finish_file
UPDATE ccnews_files SET
    status = ?, reason = ?, records = ?, prefiltered = ?, extracted = ?, relevant = ?, bytes = ?,
    finished_at = now()
WHERE source = ? AND path = ?;

-- name: insert_records
INSERT INTO ccnews_records BY NAME SELECT * FROM batch ON CONFLICT (response_id) DO NOTHING;
