-- What changed in the warehouse in the last seven days? Every article that a run started in that
-- time loaded for the first time ('new') or whose content it replaced ('updated'), with the
-- announcement it belongs to and whether that announcement is itself new (all its articles
-- arrived this week). "Loaded" means by a run, whatever the article's own dates: an old page
-- imported today is a change to the warehouse today.
-- Run: iot-ingest query --file warehouse/queries/changed_since_last_week.sql
WITH loads AS (
    SELECT s.article_id, s.response_id, r.started_at AS loaded_at
    FROM sightings s
    JOIN responses rs ON rs.response_id = s.response_id
    JOIN runs r ON r.run_id = rs.run_id
),
per_article AS (
    SELECT
        a.article_id,
        min(l.loaded_at) AS first_loaded_at,
        max(l.loaded_at) FILTER (WHERE l.response_id = a.content_response_id) AS content_loaded_at
    FROM articles a
    JOIN loads l ON l.article_id = a.article_id
    GROUP BY a.article_id
),
changes AS (
    SELECT
        p.article_id,
        CASE WHEN p.first_loaded_at >= now() - INTERVAL 7 DAY THEN 'new' ELSE 'updated' END AS change,
        greatest(p.first_loaded_at, p.content_loaded_at) AS changed_at
    FROM per_article p
    WHERE p.first_loaded_at >= now() - INTERVAL 7 DAY OR p.content_loaded_at >= now() - INTERVAL 7 DAY
)
SELECT
    c.change,
    c.changed_at,
    coalesce(a.publisher, a.site) AS outlet,
    a.title,
    a.is_relevant,
    an.announced_on,
    an.headline AS announcement,
    an.announcement_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM articles x JOIN per_article px ON px.article_id = x.article_id
        WHERE x.announcement_id = an.announcement_id AND px.first_loaded_at < now() - INTERVAL 7 DAY
    ) AS new_announcement,
    a.url
FROM changes c
JOIN articles a ON a.article_id = c.article_id
LEFT JOIN announcements an ON an.announcement_id = a.announcement_id
ORDER BY c.changed_at DESC, an.announced_on DESC NULLS LAST, outlet;
