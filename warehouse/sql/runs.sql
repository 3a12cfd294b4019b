-- The run log (src/iot_ingest/runs.py).

-- name: start
INSERT INTO runs (run_id, flow, started_at, status, params) VALUES (?, ?, ?, 'running', ?);

-- name: finish
UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE run_id = ?;
