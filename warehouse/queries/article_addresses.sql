-- Articles seen at more than one address (mirrors, tracking links, two sections of one site):
-- one row per article, however many URLs it was fetched from.
-- Run: iot-ingest query --file warehouse/queries/article_addresses.sql
SELECT
    a.publisher,
    a.title,
    count(DISTINCT s.url) AS addresses,
    string_agg(DISTINCT s.url, ' | ' ORDER BY s.url) AS fetched_from
FROM articles a
JOIN sightings s USING (article_id)
GROUP BY a.article_id, a.publisher, a.title
HAVING count(DISTINCT s.url) > 1
ORDER BY addresses DESC, a.publisher;
