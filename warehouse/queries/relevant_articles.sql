-- Which articles are about Institutes of Technology, newest first, and which of them are copies?
-- Run: iot-ingest query --file warehouse/queries/relevant_articles.sql
SELECT
    (a.published_at AT TIME ZONE 'Europe/London')::DATE AS published_on,
    a.publisher,
    a.title,
    CASE WHEN a.duplicate_of IS NULL THEN '' ELSE a.copy_kind || ' copy of ' || o.publisher END AS copy_of,
    (a.facts ->> 'institute_count')::INTEGER AS institutes,
    (a.facts ->> 'funding_gbp')::BIGINT AS funding_gbp
FROM articles a
LEFT JOIN articles o ON o.article_id = a.duplicate_of
WHERE a.is_relevant
ORDER BY a.published_at DESC NULLS LAST, a.publisher;
