-- Every announcement (of every topic, or of the one --topic names): when, what, how many, how
-- much, and how widely it was covered (the original source and every copy or report of it).
-- Run: iot-ingest query --file warehouse/queries/announcements.sql [--topic NAME]
SELECT
    a.announced_on,
    a.headline,
    a.institute_count AS institutes,
    a.funding_gbp,
    o.publisher AS original_source,
    a.article_count AS articles,
    string_agg(DISTINCT m.publisher, ', ' ORDER BY m.publisher) AS outlets,
    a.topic
FROM announcements a
JOIN articles o ON o.article_id = a.original_article_id
JOIN article_topics t ON t.announcement_id = a.announcement_id
JOIN articles m ON m.article_id = t.article_id
WHERE topic_selected(a.topic)
GROUP BY ALL
ORDER BY a.announced_on;
