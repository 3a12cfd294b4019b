-- Statements of the HTML report (src/iot_ingest/report/data.py). The report reads the analysts'
-- views, so the page and `iot-ingest query` never disagree.

-- name: announcements
SELECT announced_on, headline, institute_count, funding_gbp, original_publisher, original_url,
       articles, sightings, outlets, institutes
FROM v_announcements
ORDER BY announced_on NULLS LAST, headline;

-- name: institutes
-- The institutes the warehouse's announcements name, by any of their names: one row each.
SELECT name, lead_provider, wave, status, announced_on, opened_on, announcements, articles, outlets,
       sums_mentioned_gbp
FROM v_institutes
WHERE announcements > 0
ORDER BY wave NULLS LAST, announced_on NULLS LAST, name;

-- name: coverage
-- Per outlet, or per outlet and topic when the report shows several topics (an outlet's lag over
-- two topics is no one figure).
SELECT CASE WHEN count(DISTINCT topic) OVER () > 1 THEN outlet || ' (' || topic || ')' ELSE outlet END,
       articles, originals, copies, own_reports, sightings, median_lag_hours
FROM v_coverage
ORDER BY articles DESC, outlet, topic;

-- name: health
SELECT area, subject, status, total, last_at, detail, problem
FROM v_pipeline_health
ORDER BY area, problem DESC, total DESC, subject, status;
