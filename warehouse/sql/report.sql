-- Statements of the HTML report (src/iot_ingest/report/data.py). The report reads the analysts'
-- views, so the page and `iot-ingest query` never disagree.

-- name: announcements
SELECT announced_on, headline, institute_count, funding_gbp, original_publisher, original_url,
       articles, sightings, outlets, institutes
FROM v_announcements
ORDER BY announced_on NULLS LAST, headline;

-- name: institutes
SELECT institute, announcements, headlines, sums_mentioned_gbp, first_announced_on, latest_announced_on
FROM v_institutes
ORDER BY first_announced_on, institute;

-- name: coverage
SELECT outlet, articles, originals, copies, own_reports, sightings, median_lag_hours
FROM v_coverage
ORDER BY articles DESC, outlet;

-- name: health
SELECT area, subject, status, total, last_at, detail, problem
FROM v_pipeline_health
ORDER BY area, problem DESC, total DESC, subject, status;
