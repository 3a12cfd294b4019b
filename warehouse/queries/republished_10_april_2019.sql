-- Which outlets republished the 10 April 2019 release of the first twelve Institutes of
-- Technology, and how fast? Every other article of that announcement, with how it relates to the
-- original (a verbatim, trimmed or edited copy, or the outlet's own report) and the time from the
-- original's publication to the article's (negative: it ran before the release).
-- Run: iot-ingest query --file warehouse/queries/republished_10_april_2019.sql
SELECT
    coalesce(c.publisher, c.site) AS outlet,
    c.title,
    coalesce(c.copy_kind || ' copy', 'own report') AS relation,
    c.published_at,
    round((epoch(c.published_at) - epoch(o.published_at)) / 3600.0, 2) AS hours_after_original,
    c.url
FROM announcements an
JOIN articles o ON o.article_id = an.original_article_id
JOIN articles c ON c.announcement_id = an.announcement_id AND c.article_id <> o.article_id
WHERE an.announced_on = DATE '2019-04-10'
ORDER BY hours_after_original NULLS LAST, outlet;
