-- Topics as configuration ([[topics]], docs/topic-files.md): every article is scored against each
-- configured topic; announcements, institutes and notifications carry the topic they belong to.
-- Everything loaded before this migration was scored with the one topic there was, the built-in
-- Institutes of Technology topic, and is recorded as that topic's.

-- An article against one topic: relevant or not, why, its facts for the topic and its announcement.
-- articles.is_relevant is "relevant to at least one configured topic"; articles' other relevance
-- columns and announcement_id are those of the first configured topic it is relevant to.
CREATE TABLE article_topics (
    article_id          VARCHAR NOT NULL,
    topic               VARCHAR NOT NULL,
    is_relevant         BOOLEAN NOT NULL,
    relevance_score     DOUBLE,
    relevance_reasons   JSON,
    facts               JSON,
    announcement_id     VARCHAR,
    content_response_id VARCHAR,          -- the capture these were computed from (the article's content)
    PRIMARY KEY (article_id, topic)
);
INSERT INTO article_topics
SELECT article_id, 'institutes_of_technology', coalesce(is_relevant, false), relevance_score, relevance_reasons,
       facts, announcement_id, content_response_id
FROM articles;

-- The topic the announcement belongs to: the same event reported for two topics is an announcement of each.
ALTER TABLE announcements ADD COLUMN topic VARCHAR;

-- The topic whose announcement ids (and proposed institute ids) have no topic in them: the one
-- topic there was. Every other topic's ids are its own, whatever order a configuration lists them in.
CREATE TABLE legacy_topic (
    topic VARCHAR PRIMARY KEY
);
INSERT INTO legacy_topic VALUES ('institutes_of_technology');
UPDATE announcements SET topic = 'institutes_of_technology';

-- The topic whose institute it is (the registry of its topic file, or the topic whose announcement named it).
ALTER TABLE institutes ADD COLUMN topic VARCHAR;
UPDATE institutes SET topic = 'institutes_of_technology';

-- The topic of the announcement a notification is about (NULL for a source's).
ALTER TABLE notifications ADD COLUMN topic VARCHAR;
UPDATE notifications SET topic = 'institutes_of_technology' WHERE event LIKE 'announcement.%';
