-- How many announcements about Institutes of Technology each year, and how widely they were
-- covered. Every year from the first announcement to the last is listed, quiet years as zero.
-- Sums are listed, not added: a competition and its winners restate the same money.
-- Run: iot-ingest query --file warehouse/queries/announcements_per_year.sql
WITH years AS (
    SELECT unnest(generate_series(min(year(announced_on)), max(year(announced_on)))) AS year
    FROM announcements
)
SELECT
    y.year,
    count(a.announcement_id) AS announcements,
    coalesce(sum(a.articles), 0) AS articles,
    coalesce(sum(a.outlets), 0) AS outlet_mentions,
    list(DISTINCT a.funding_gbp ORDER BY a.funding_gbp) FILTER (WHERE a.funding_gbp IS NOT NULL) AS sums_announced_gbp,
    list(a.headline ORDER BY a.announced_on) FILTER (WHERE a.headline IS NOT NULL) AS headlines
FROM years y
LEFT JOIN v_announcements a ON year(a.announced_on) = y.year
GROUP BY y.year
ORDER BY y.year;
