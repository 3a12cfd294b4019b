-- Statements of the deduplication step (src/iot_ingest/ingest/dedup_step.py).

-- name: bodies
SELECT article_id, body_text, coalesce(site, publisher, '') FROM articles
WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: paragraphs_of
SELECT DISTINCT paragraph_hash FROM article_paragraphs WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: boilerplate_among
-- Of these paragraphs, those that the publisher that carried them first repeats in at least ? of
-- its articles: its footer. Text a publisher repeats after another printed it is quoted, and kept.
-- First: published (else first seen), then first seen; publishers tied for first own nothing.
WITH carriers AS (
    SELECT p.paragraph_hash, p.publisher,
           rank() OVER (
               PARTITION BY p.paragraph_hash
               ORDER BY coalesce(a.published_at, a.first_seen_at) NULLS LAST, a.first_seen_at NULLS LAST
           ) AS place
    FROM article_paragraphs p JOIN articles a USING (article_id)
    WHERE p.paragraph_hash IN (SELECT unnest(?::BIGINT[]))
),
owners AS (
    SELECT paragraph_hash, min(publisher) AS publisher FROM carriers WHERE place = 1
    GROUP BY paragraph_hash HAVING count(DISTINCT publisher) = 1
)
SELECT paragraph_hash FROM carriers JOIN owners USING (paragraph_hash, publisher)
GROUP BY paragraph_hash
HAVING count(*) >= ?;

-- name: articles_with_paragraphs
SELECT DISTINCT article_id FROM article_paragraphs WHERE paragraph_hash IN (SELECT unnest(?::BIGINT[]));

-- name: forget_paragraphs
DELETE FROM article_paragraphs WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: insert_paragraphs
INSERT INTO article_paragraphs BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;

-- name: forget_signatures
DELETE FROM article_signatures WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: forget_bands
DELETE FROM article_bands WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: forget_copies
DELETE FROM article_copies
WHERE article_a IN (SELECT unnest(?::VARCHAR[])) OR article_b IN (SELECT unnest(?::VARCHAR[]));

-- name: insert_signatures
INSERT INTO article_signatures BY NAME SELECT * FROM batch;

-- name: insert_bands
INSERT INTO article_bands BY NAME SELECT * FROM batch;

-- name: insert_copies
INSERT INTO article_copies BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;

-- name: candidates
-- Articles sharing at least one LSH band with a touched article: the pairs worth verifying.
SELECT DISTINCT mine.article_id, theirs.article_id
FROM article_bands mine
JOIN article_bands theirs ON theirs.band_hash = mine.band_hash AND theirs.article_id <> mine.article_id
WHERE mine.article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: copies_of
SELECT article_a, article_b, kind FROM article_copies
WHERE article_a IN (SELECT unnest(?::VARCHAR[])) OR article_b IN (SELECT unnest(?::VARCHAR[]));

-- name: article_info
SELECT article_id, published_at, first_seen_at, site = 'gov.uk' OR publisher = 'GOV.UK' AS official,
       coalesce(is_relevant, false),
       TRY_CAST(facts ->> 'institute_count' AS INTEGER), TRY_CAST(facts ->> 'funding_gbp' AS BIGINT),
       CAST(facts -> 'institutes' AS VARCHAR)
FROM articles
WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: set_original
UPDATE articles SET duplicate_of = batch.duplicate_of, copy_kind = batch.copy_kind
FROM batch WHERE articles.article_id = batch.article_id;

-- name: relevant_info
-- What grouping needs of each article among ? relevant to topic ?: dates, its facts for the topic,
-- kind and the words it is about.
SELECT a.article_id, a.published_at, a.first_seen_at, a.site = 'gov.uk' OR a.publisher = 'GOV.UK' AS official,
       true,
       TRY_CAST(t.facts ->> 'institute_count' AS INTEGER), TRY_CAST(t.facts ->> 'funding_gbp' AS BIGINT),
       CAST(t.facts -> 'institutes' AS VARCHAR), coalesce(t.facts ->> 'kind', 'other'), a.title
FROM articles a JOIN article_topics t ON t.article_id = a.article_id
WHERE t.is_relevant AND a.article_id IN (SELECT unnest(?::VARCHAR[])) AND t.topic = ?;

-- name: all_relevant
SELECT article_id FROM articles WHERE is_relevant;

-- name: relevant_undated
SELECT article_id FROM articles WHERE is_relevant AND published_at IS NULL;

-- name: relevant_near
-- Relevant articles published within ? of any of the instants ?: what a change there may regroup.
SELECT DISTINCT a.article_id
FROM articles a, (SELECT unnest(?::TIMESTAMPTZ[]) AS at) near
WHERE a.is_relevant AND a.published_at BETWEEN near.at - ?::INTERVAL AND near.at + ?::INTERVAL;

-- name: fellow_members
-- The articles of the announcements (of any topic) that any of ? belongs to, and ? themselves.
SELECT article_id FROM article_topics
WHERE announcement_id IN (
    SELECT announcement_id FROM article_topics
    WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND announcement_id IS NOT NULL
)
UNION
SELECT unnest(?::VARCHAR[]);

-- name: date_evidence
-- For each relevant article among ? whose date is not its page's: the evidence for one.
SELECT a.article_id, a.published_at, a.published_at_source, TRY_CAST(a.facts ->> 'announced_on' AS DATE),
       a.first_seen_at, a.duplicate_of,
       (SELECT list(u.url ORDER BY u.url) FROM article_urls u WHERE u.article_id = a.article_id)
FROM articles a
WHERE a.article_id IN (SELECT unnest(?::VARCHAR[]))
  AND (a.published_at IS NULL OR a.published_at_source IS NULL OR a.published_at_source <> 'page');

-- name: page_dated
UPDATE articles SET published_at_source = 'page'
WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND published_at IS NOT NULL AND published_at_source IS NULL;

-- name: page_dates
-- The dates of ? that come from their own pages (or from a page's URL), which copies may borrow.
SELECT article_id, published_at FROM articles
WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND published_at IS NOT NULL AND published_at_source IN ('page', 'url', 'text');

-- name: dates_of
SELECT article_id, published_at FROM articles
WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND published_at IS NOT NULL AND is_relevant;

-- name: set_dates
UPDATE articles SET published_at = batch.published_at, published_at_source = batch.published_at_source
FROM batch WHERE articles.article_id = batch.article_id;

-- name: previous_announcements
SELECT article_id, announcement_id FROM article_topics
WHERE announcement_id IS NOT NULL AND article_id IN (SELECT unnest(?::VARCHAR[])) AND topic = ?;

-- name: announcements_of
SELECT DISTINCT announcement_id FROM article_topics
WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND announcement_id IS NOT NULL AND topic = ?;

-- name: all_announcements
SELECT announcement_id FROM announcements WHERE topic = ?;

-- name: forget_announcement_institutes
-- Of topic ?, the institutes of the announcements ?, and of ? (ids no announcement of any topic holds
-- any more: a regrouping recreates some, reprocess none).
DELETE FROM announcement_institutes
WHERE announcement_id IN (
    SELECT announcement_id FROM announcements WHERE topic = ? AND announcement_id IN (SELECT unnest(?::VARCHAR[]))
) OR (announcement_id IN (SELECT unnest(?::VARCHAR[]))
      AND announcement_id NOT IN (SELECT announcement_id FROM announcements));

-- name: forget_announcements
DELETE FROM announcements WHERE topic = ? AND announcement_id IN (SELECT unnest(?::VARCHAR[]));

-- name: legacy_topic
SELECT topic FROM legacy_topic;

-- name: forget_unfollowed_institutes
-- What the warehouse holds of topics the configuration no longer follows (? the followed ones):
-- their announcements' institutes, their announcements, their articles' scores (the next three).
DELETE FROM announcement_institutes WHERE announcement_id IN (
    SELECT announcement_id FROM announcements WHERE topic IS NULL OR topic NOT IN (SELECT unnest(?::VARCHAR[]))
);

-- name: forget_unfollowed_announcements
DELETE FROM announcements WHERE topic IS NULL OR topic NOT IN (SELECT unnest(?::VARCHAR[]));

-- name: forget_unfollowed_scores
DELETE FROM article_topics WHERE topic NOT IN (SELECT unnest(?::VARCHAR[]));

-- name: rederive_articles
-- After a topic is forgotten: every article's single-valued columns again from its remaining topics,
-- in the configuration's order ?: those of the first it is relevant to, else the first topic's.
UPDATE articles SET
    is_relevant = coalesce(p.is_relevant, false),
    relevance_score = p.relevance_score,
    relevance_reasons = p.relevance_reasons,
    facts = p.facts,
    announcement_id = p.announcement_id
FROM (
    SELECT ids.article_id, bool_or(t.is_relevant) AS is_relevant,
           arg_min(t.relevance_score, t.rank) AS relevance_score,
           arg_min(t.relevance_reasons, t.rank) AS relevance_reasons,
           arg_min(t.facts, t.rank) FILTER (WHERE t.is_relevant) AS facts,
           arg_min(t.announcement_id, t.rank) FILTER (WHERE t.announcement_id IS NOT NULL) AS announcement_id
    FROM articles ids
    LEFT JOIN (
        SELECT *, list_position(?::VARCHAR[], topic) + CASE WHEN is_relevant THEN 0 ELSE 100000 END AS rank
        FROM article_topics
    ) t ON t.article_id = ids.article_id
    GROUP BY ids.article_id
) p
WHERE articles.article_id = p.article_id;

-- name: forget_memberships
UPDATE article_topics SET announcement_id = NULL
WHERE topic = ? AND (announcement_id IN (SELECT unnest(?::VARCHAR[])) OR article_id IN (SELECT unnest(?::VARCHAR[])));

-- name: count_announcements
SELECT count(*) FROM announcements;

-- name: insert_announcements
INSERT INTO announcements BY NAME SELECT * FROM batch;

-- name: set_announcement
UPDATE article_topics SET announcement_id = batch.announcement_id
FROM batch WHERE article_topics.article_id = batch.article_id AND article_topics.topic = batch.topic;

-- name: set_article_announcements
-- Each of ? takes the announcement of the first topic in ? (the configuration's order) that has one.
UPDATE articles SET announcement_id = pick.announcement_id
FROM (
    SELECT ids.article_id,
           arg_min(t.announcement_id, list_position(?::VARCHAR[], t.topic)) AS announcement_id
    FROM (SELECT unnest(?::VARCHAR[]) AS article_id) ids
    LEFT JOIN article_topics t
      ON t.article_id = ids.article_id AND t.announcement_id IS NOT NULL AND list_position(?::VARCHAR[], t.topic) > 0
    GROUP BY ids.article_id
) pick
WHERE articles.article_id = pick.article_id AND articles.announcement_id IS DISTINCT FROM pick.announcement_id;

-- name: insert_aliases
-- An id that is live (in any topic) is nobody's alias.
INSERT INTO announcement_aliases BY NAME SELECT * FROM batch
WHERE old_id NOT IN (SELECT announcement_id FROM announcements)
ON CONFLICT (old_id) DO UPDATE SET new_id = excluded.new_id, aliased_at = excluded.aliased_at;

-- name: originals_of
SELECT article_id, title, ((published_at AT TIME ZONE 'Europe/London')::DATE) AS announced_on, published_at
FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]));

-- name: announcement_facts
-- What each member article says of topic ?: the announcement's count, sum and institutes are chosen from these.
SELECT article_id, TRY_CAST(facts ->> 'institute_count' AS INTEGER), TRY_CAST(facts ->> 'funding_gbp' AS BIGINT),
       CAST(facts -> 'institutes' AS VARCHAR)
FROM article_topics WHERE article_id IN (SELECT unnest(?::VARCHAR[])) AND topic = ?;

-- name: insert_announcement_institutes
INSERT INTO announcement_institutes BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;

-- name: clear_institutes
DELETE FROM institutes;

-- name: insert_institutes
-- The registry's institutes (the batch), their dates from the announcements naming them where the
-- warehouse has those, and every other institute an announcement names, as `proposed`. An opening
-- dates only the institute it is about: the one it names, or the one its headline names.
WITH named AS (
    SELECT ai.institute_id, ai.institute, an.announced_on, an.kind, an.headline, an.topic,
           count(*) OVER (PARTITION BY an.announcement_id) AS named_by_it
    FROM announcement_institutes ai JOIN announcements an USING (announcement_id)
    WHERE ai.institute_id IS NOT NULL
),
dates AS (
    SELECT institute_id,
           min(announced_on) FILTER (WHERE kind = 'designation') AS designated_on,
           min(announced_on) FILTER (WHERE kind = 'shortlist') AS shortlisted_on,
           min(announced_on) FILTER (WHERE kind = 'opening' AND (named_by_it = 1 OR contains(lower(headline), lower(institute)))) AS opened_on,
           min(announced_on) AS first_named_on,
           arg_min(institute, announced_on) AS first_written,
           arg_min(topic, announced_on) AS topic
    FROM named GROUP BY institute_id
)
INSERT INTO institutes BY NAME
SELECT b.institute_id, b.name, b.lead_provider, b.wave, b.status,
       coalesce(CASE b.status WHEN 'designated' THEN d.designated_on WHEN 'shortlisted' THEN d.shortlisted_on END,
                b.announced_on) AS announced_on,
       coalesce(d.opened_on, b.opened_on) AS opened_on,
       b.partners, b.aliases, b.topic
FROM batch b LEFT JOIN dates d USING (institute_id)
UNION ALL
SELECT d.institute_id, d.first_written, NULL, NULL, 'proposed', d.first_named_on, d.opened_on, []::VARCHAR[],
       []::VARCHAR[], d.topic
FROM dates d WHERE d.institute_id NOT IN (SELECT institute_id FROM batch);
