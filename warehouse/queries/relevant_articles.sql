-- Which articles are about a followed topic (one row per topic, or --topic NAME's), newest first,
-- and which of them are copies?
-- Run: iot-ingest query --file warehouse/queries/relevant_articles.sql [--topic NAME]
SELECT
    (a.published_at AT TIME ZONE 'Europe/London')::DATE AS published_on,
    a.publisher,
    a.title,
    CASE WHEN a.duplicate_of IS NULL THEN '' ELSE a.copy_kind || ' copy of ' || o.publisher END AS copy_of,
    (t.facts ->> 'institute_count')::INTEGER AS institutes,
    (t.facts ->> 'funding_gbp')::BIGINT AS funding_gbp,
    t.topic
FROM article_topics t
JOIN articles a ON a.article_id = t.article_id
LEFT JOIN articles o ON o.article_id = a.duplicate_of
WHERE t.is_relevant AND topic_selected(t.topic)
ORDER BY a.published_at DESC NULLS LAST, a.publisher;
