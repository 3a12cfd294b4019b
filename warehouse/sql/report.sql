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
-- Per outlet, over the topics shown (an article about two topics counts for each).
SELECT outlet, sum(articles)::BIGINT AS articles, sum(originals)::BIGINT, sum(copies)::BIGINT,
       sum(own_reports)::BIGINT, sum(sightings)::BIGINT, round(median(median_lag_hours), 2)
FROM v_coverage
GROUP BY outlet
ORDER BY articles DESC, outlet;

-- name: health
SELECT area, subject, status, total, last_at, detail, problem
FROM v_pipeline_health
ORDER BY area, problem DESC, total DESC, subject, status;
