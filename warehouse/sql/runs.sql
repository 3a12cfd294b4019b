-- The run log (src/iot_ingest/runs.py).

-- name: start
INSERT INTO runs (run_id, flow, started_at, status, params) VALUES (?, ?, ?, 'running', ?);

-- name: finish
UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE run_id = ?;

-- name: announcement_ids
SELECT announcement_id FROM announcements;

-- name: announcements_by_id
-- The new announcements of a run, for its summary: the original article's address and outlet.
SELECT an.announcement_id, an.announced_on, an.headline, an.institute_count, an.funding_gbp, an.article_count,
       a.url, a.publisher
FROM announcements an
LEFT JOIN articles a ON a.article_id = an.original_article_id
WHERE an.announcement_id IN (SELECT unnest(?::VARCHAR[]))
ORDER BY an.announced_on DESC NULLS LAST, an.announcement_id;
