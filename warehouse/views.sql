-- Views over the warehouse, recreated by every writer after migrations. Analysts query these.
-- The COMMENT ON statements are what docs/data-dictionary.md prints (`make docs` regenerates it);
-- they must follow their CREATE, which drops the comments of the view it replaces.
-- An outlet is the publisher an article names, else its site: every view counts outlets the same way.

-- Topics: every view with a topic column shows the topic `SET VARIABLE topic = '<name>'` chose
-- (`iot-ingest query --topic NAME` sets it), all topics when it is not set.
CREATE OR REPLACE MACRO topic_selected(t) AS (getvariable('topic') IS NULL OR t = getvariable('topic'));

-- Articles with how many URLs and sightings each has. The topics are aggregated once, not looked up
-- per article (a correlated lookup costs five times as much on a large warehouse).
CREATE OR REPLACE VIEW v_articles AS
WITH scored AS (
    SELECT
        article_id,
        list(topic ORDER BY topic) FILTER (WHERE is_relevant) AS topics,
        bool_or(is_relevant) FILTER (WHERE topic = getvariable('topic')) AS selected
    FROM article_topics
    GROUP BY article_id
)
SELECT
    a.article_id,
    a.published_at,
    a.publisher,
    a.title,
    a.url,
    CASE WHEN getvariable('topic') IS NULL THEN a.is_relevant ELSE coalesce(t.selected, false) END AS is_relevant,
    coalesce(t.topics, []::VARCHAR[]) AS topics,
    a.duplicate_of,
    a.copy_kind,
    (SELECT count(*) FROM article_urls u WHERE u.article_id = a.article_id) AS url_count,
    (SELECT count(*) FROM sightings s WHERE s.article_id = a.article_id) AS sighting_count,
    a.first_seen_at,
    a.last_seen_at
FROM articles a
LEFT JOIN scored t ON t.article_id = a.article_id;

COMMENT ON VIEW v_articles IS 'One row per article, with how many URLs it was seen at and how many captures yielded it.';
COMMENT ON COLUMN v_articles.article_id IS 'Id of the article.';
COMMENT ON COLUMN v_articles.published_at IS 'First publication, from the page''s own metadata.';
COMMENT ON COLUMN v_articles.publisher IS 'Outlet that published it.';
COMMENT ON COLUMN v_articles.title IS 'Headline.';
COMMENT ON COLUMN v_articles.url IS 'Canonical URL.';
COMMENT ON COLUMN v_articles.is_relevant IS 'True when it reports an announcement of a configured topic (of the selected topic, when one is set).';
COMMENT ON COLUMN v_articles.topics IS 'The topics it is relevant to.';
COMMENT ON COLUMN v_articles.duplicate_of IS 'The earlier article it copies; NULL if none.';
COMMENT ON COLUMN v_articles.copy_kind IS 'verbatim, trimmed or edited; NULL if not a copy.';
COMMENT ON COLUMN v_articles.first_seen_at IS 'First capture of the article.';
COMMENT ON COLUMN v_articles.last_seen_at IS 'Latest capture of the article.';
COMMENT ON COLUMN v_articles.url_count IS 'Addresses the article was seen at (mirrors, tracking links, sections).';
COMMENT ON COLUMN v_articles.sighting_count IS 'Captures (archived responses) that yielded the article.';

-- Recorded failures, newest first.
CREATE OR REPLACE VIEW v_ingest_errors AS
SELECT recorded_at, stage, location, url, reason, run_id
FROM ingest_errors
ORDER BY recorded_at DESC;

COMMENT ON VIEW v_ingest_errors IS 'Problems met while ingesting (unreadable records, failed extractions), newest first.';
COMMENT ON COLUMN v_ingest_errors.recorded_at IS 'When the problem was recorded.';
COMMENT ON COLUMN v_ingest_errors.stage IS 'read, archive, extract, load or fetch.';
COMMENT ON COLUMN v_ingest_errors.location IS 'file:offset or URL.';
COMMENT ON COLUMN v_ingest_errors.url IS 'URL concerned, if any.';
COMMENT ON COLUMN v_ingest_errors.reason IS 'What went wrong.';
COMMENT ON COLUMN v_ingest_errors.run_id IS 'The run that met it.';

-- One row per announcement, with its institutes and how widely it was covered. The aggregates are
-- computed per announcement before joining, so a many-institute announcement does not multiply
-- its article or sighting counts.
CREATE OR REPLACE VIEW v_announcements AS
WITH coverage AS (
    SELECT
        t.announcement_id,
        count(*) AS articles,
        count(DISTINCT coalesce(a.publisher, a.site)) AS outlets,
        min(a.first_seen_at) AS first_seen_at,
        max(a.last_seen_at) AS last_seen_at
    FROM article_topics t JOIN articles a ON a.article_id = t.article_id
    WHERE t.announcement_id IS NOT NULL
    GROUP BY t.announcement_id
),
captured AS (
    SELECT t.announcement_id, count(*) AS sightings
    FROM article_topics t
    JOIN sightings s ON s.article_id = t.article_id
    WHERE t.announcement_id IS NOT NULL
    GROUP BY t.announcement_id
),
named AS (
    SELECT announcement_id, list(institute ORDER BY institute) AS institutes
    FROM announcement_institutes
    GROUP BY announcement_id
)
SELECT
    an.announcement_id,
    an.announced_on,
    an.headline,
    an.kind,
    coalesce(n.institutes, []::VARCHAR[]) AS institutes,
    an.institute_count,
    an.funding_gbp,
    o.source AS original_source,
    coalesce(o.publisher, o.site) AS original_publisher,
    o.url AS original_url,
    o.published_at AS original_published_at,
    coalesce(c.articles, 0) AS articles,
    coalesce(s.sightings, 0) AS sightings,
    coalesce(c.outlets, 0) AS outlets,
    c.first_seen_at,
    c.last_seen_at,
    an.topic
FROM announcements an
LEFT JOIN articles o ON o.article_id = an.original_article_id
LEFT JOIN coverage c ON c.announcement_id = an.announcement_id
LEFT JOIN captured s ON s.announcement_id = an.announcement_id
LEFT JOIN named n ON n.announcement_id = an.announcement_id
WHERE topic_selected(an.topic);

COMMENT ON VIEW v_announcements IS 'One row per real-world announcement of a topic: what, when, which institutes, how much, and how widely it was covered.';
COMMENT ON COLUMN v_announcements.topic IS 'The topic it belongs to (an event of two topics is an announcement of each).';
COMMENT ON COLUMN v_announcements.announcement_id IS 'Id of the announcement (see announcement_aliases for replaced ids).';
COMMENT ON COLUMN v_announcements.headline IS 'Headline of the original.';
COMMENT ON COLUMN v_announcements.kind IS 'competition, shortlist, designation, opening, funding or other.';
COMMENT ON COLUMN v_announcements.announced_on IS 'Official date of the announcement (UK calendar date of its original).';
COMMENT ON COLUMN v_announcements.institutes IS 'Institutes the announcement names, alphabetically (empty when none are recorded).';
COMMENT ON COLUMN v_announcements.institute_count IS 'Institutes the announcement creates, names or shortlists, as it states the number.';
COMMENT ON COLUMN v_announcements.funding_gbp IS 'Headline sum in pounds ("up to £120m" is 120000000).';
COMMENT ON COLUMN v_announcements.original_source IS 'Configured source the original article came from.';
COMMENT ON COLUMN v_announcements.original_publisher IS 'Outlet of the original article (the official source where there is one).';
COMMENT ON COLUMN v_announcements.original_url IS 'Canonical URL of the original article.';
COMMENT ON COLUMN v_announcements.original_published_at IS 'When the original was first published.';
COMMENT ON COLUMN v_announcements.articles IS 'Distinct articles reporting the announcement, the original included.';
COMMENT ON COLUMN v_announcements.sightings IS 'Captures of those articles (every fetch or import that yielded one).';
COMMENT ON COLUMN v_announcements.outlets IS 'Distinct outlets (publisher, else site) that carried the announcement.';
COMMENT ON COLUMN v_announcements.first_seen_at IS 'When the pipeline first captured any article of the announcement.';
COMMENT ON COLUMN v_announcements.last_seen_at IS 'When the pipeline last captured any article of the announcement.';

-- Each institute: the registry's and every other one an announcement names, one row each whatever
-- name the announcements use for it (its own, its lead's, an alias), with its timeline.
CREATE OR REPLACE VIEW v_institutes AS
WITH named AS (
    SELECT DISTINCT ai.institute_id, ai.institute, an.announcement_id, an.announced_on, an.kind, an.headline,
           an.funding_gbp
    FROM announcement_institutes ai
    JOIN announcements an ON an.announcement_id = ai.announcement_id
    WHERE ai.institute_id IS NOT NULL
),
per_institute AS (
    SELECT
        institute_id,
        count(DISTINCT announcement_id) AS announcements,
        list(DISTINCT institute ORDER BY institute) AS named_as,
        list(DISTINCT announcement_id ORDER BY announcement_id) AS announcement_ids,
        list(DISTINCT funding_gbp ORDER BY funding_gbp) FILTER (WHERE funding_gbp IS NOT NULL) AS sums_mentioned_gbp,
        min(announced_on) FILTER (WHERE kind = 'funding') AS first_funding_on,
        min(announced_on) AS first_announced_on,
        max(announced_on) AS latest_announced_on
    FROM named
    GROUP BY institute_id
),
headlines AS (
    SELECT institute_id, list(headline ORDER BY announced_on, announcement_id) AS headlines
    FROM (SELECT DISTINCT institute_id, announcement_id, announced_on, headline FROM named)
    GROUP BY institute_id
),
coverage AS (
    SELECT n.institute_id, count(DISTINCT a.article_id) AS articles,
           count(DISTINCT coalesce(a.publisher, a.site)) AS outlets
    FROM (SELECT DISTINCT institute_id, announcement_id FROM named) n
    JOIN article_topics t ON t.announcement_id = n.announcement_id
    JOIN articles a ON a.article_id = t.article_id
    GROUP BY n.institute_id
)
SELECT
    i.institute_id,
    i.name,
    i.lead_provider,
    i.wave,
    i.status,
    i.announced_on,
    i.opened_on,
    p.first_funding_on,
    coalesce(p.announcements, 0) AS announcements,
    coalesce(c.articles, 0) AS articles,
    coalesce(c.outlets, 0) AS outlets,
    coalesce(p.named_as, []::VARCHAR[]) AS named_as,
    coalesce(h.headlines, []::VARCHAR[]) AS headlines,
    p.sums_mentioned_gbp,
    p.first_announced_on,
    p.latest_announced_on,
    i.topic
FROM institutes i
LEFT JOIN per_institute p ON p.institute_id = i.institute_id
LEFT JOIN headlines h ON h.institute_id = i.institute_id
LEFT JOIN coverage c ON c.institute_id = i.institute_id
WHERE topic_selected(i.topic);

COMMENT ON VIEW v_institutes IS 'One row per institute (each topic''s registry, and any other an announcement names), whatever name articles use for it, with its timeline and coverage.';
COMMENT ON COLUMN v_institutes.topic IS 'The topic whose institute it is.';
COMMENT ON COLUMN v_institutes.institute_id IS 'Id of the institute (institutes.institute_id).';
COMMENT ON COLUMN v_institutes.name IS 'Its own name, else its lead''s, else as first written.';
COMMENT ON COLUMN v_institutes.lead_provider IS 'The organisation that led its bid; NULL when not known.';
COMMENT ON COLUMN v_institutes.wave IS '1 (April 2019) or 2 (December 2021); NULL if never designated.';
COMMENT ON COLUMN v_institutes.status IS 'designated, shortlisted or proposed.';
COMMENT ON COLUMN v_institutes.announced_on IS 'When it was designated (or shortlisted, or first named).';
COMMENT ON COLUMN v_institutes.opened_on IS 'When its building opened; NULL if not reported.';
COMMENT ON COLUMN v_institutes.first_funding_on IS 'Date of the first funding announcement naming it; NULL if none.';
COMMENT ON COLUMN v_institutes.announcements IS 'Announcements naming it, by any of its names.';
COMMENT ON COLUMN v_institutes.articles IS 'Articles of those announcements.';
COMMENT ON COLUMN v_institutes.outlets IS 'Distinct outlets (publisher, else site) that carried those announcements.';
COMMENT ON COLUMN v_institutes.named_as IS 'The names those announcements give it, alphabetically.';
COMMENT ON COLUMN v_institutes.headlines IS 'Headlines of those announcements, oldest first.';
COMMENT ON COLUMN v_institutes.sums_mentioned_gbp IS 'Distinct headline sums (pounds) of those announcements; NULL when none states one.';
COMMENT ON COLUMN v_institutes.first_announced_on IS 'Date of the first announcement naming it.';
COMMENT ON COLUMN v_institutes.latest_announced_on IS 'Date of the latest announcement naming it.';

-- What happened to each institute, in order: every announcement naming it, and the registry's
-- designation and opening dates where no announcement in the warehouse reports them.
CREATE OR REPLACE VIEW v_institute_timeline AS
WITH named AS (
    SELECT DISTINCT ai.institute_id, an.announced_on, an.kind, an.announcement_id, an.headline, an.article_count
    FROM announcement_institutes ai
    JOIN announcements an ON an.announcement_id = ai.announcement_id
    WHERE ai.institute_id IS NOT NULL
)
SELECT i.institute_id, i.name, n.announced_on AS event_on, n.kind, n.announcement_id, n.headline,
       n.article_count AS articles, i.topic
FROM named n JOIN institutes i USING (institute_id)
WHERE topic_selected(i.topic)
UNION ALL
SELECT i.institute_id, i.name, i.announced_on, CASE i.status WHEN 'shortlisted' THEN 'shortlist' ELSE 'designation' END,
       NULL, NULL, 0, i.topic
FROM institutes i
WHERE i.announced_on IS NOT NULL AND i.status <> 'proposed' AND topic_selected(i.topic)
  AND NOT EXISTS (SELECT 1 FROM named n WHERE n.institute_id = i.institute_id AND n.announced_on = i.announced_on)
UNION ALL
SELECT i.institute_id, i.name, i.opened_on, 'opening', NULL, NULL, 0, i.topic
FROM institutes i
WHERE i.opened_on IS NOT NULL AND topic_selected(i.topic)
  AND NOT EXISTS (SELECT 1 FROM named n WHERE n.institute_id = i.institute_id AND n.announced_on = i.opened_on);

COMMENT ON VIEW v_institute_timeline IS 'One row per event in an institute''s life: each announcement naming it, and the registry''s designation and opening dates that no announcement in the warehouse reports.';
COMMENT ON COLUMN v_institute_timeline.topic IS 'The topic whose institute it is.';
COMMENT ON COLUMN v_institute_timeline.institute_id IS 'The institute (institutes.institute_id).';
COMMENT ON COLUMN v_institute_timeline.name IS 'Its name (institutes.name).';
COMMENT ON COLUMN v_institute_timeline.event_on IS 'UK calendar date of the event.';
COMMENT ON COLUMN v_institute_timeline.kind IS 'competition, shortlist, designation, opening, funding or other.';
COMMENT ON COLUMN v_institute_timeline.announcement_id IS 'The announcement reporting it; NULL for a date only the registry gives.';
COMMENT ON COLUMN v_institute_timeline.headline IS 'Headline of that announcement.';
COMMENT ON COLUMN v_institute_timeline.articles IS 'Articles reporting that announcement (0 for a registry date).';

-- Per outlet: how much it carried and how quickly. The lag is measured from the publication of
-- the announcement's original (normally GOV.UK), so a negative lag is a report that ran before
-- the release (an embargo broken, or a story written ahead of it).
CREATE OR REPLACE VIEW v_coverage AS
WITH relevant AS (
    SELECT
        t.topic,
        coalesce(a.publisher, a.site) AS outlet,
        a.article_id,
        t.announcement_id,
        a.duplicate_of,
        an.original_article_id = a.article_id AS is_original,
        epoch(a.published_at) - epoch(o.published_at) AS lag_s
    FROM article_topics t
    JOIN articles a ON a.article_id = t.article_id
    LEFT JOIN announcements an ON an.announcement_id = t.announcement_id
    LEFT JOIN articles o ON o.article_id = an.original_article_id
    WHERE t.is_relevant AND topic_selected(t.topic)
)
SELECT
    r.topic,
    r.outlet,
    count(*) AS articles,
    count(DISTINCT r.announcement_id) AS announcements,
    count(*) FILTER (WHERE r.is_original) AS originals,
    count(*) FILTER (WHERE r.duplicate_of IS NOT NULL) AS copies,
    count(*) FILTER (WHERE r.duplicate_of IS NULL AND NOT coalesce(r.is_original, false)) AS own_reports,
    (SELECT count(*) FROM sightings s JOIN articles x ON x.article_id = s.article_id
     JOIN article_topics xt ON xt.article_id = x.article_id AND xt.topic = r.topic
     WHERE xt.is_relevant AND coalesce(x.publisher, x.site) = r.outlet) AS sightings,
    round(median(r.lag_s) FILTER (WHERE NOT r.is_original) / 3600.0, 2) AS median_lag_hours,
    round(min(r.lag_s) FILTER (WHERE NOT r.is_original) / 3600.0, 2) AS fastest_lag_hours
FROM relevant r
GROUP BY r.topic, r.outlet;

COMMENT ON VIEW v_coverage IS 'One row per topic and outlet (publisher, else site) that carried articles relevant to it: how many, how many copied, how fast.';
COMMENT ON COLUMN v_coverage.topic IS 'The topic.';
COMMENT ON COLUMN v_coverage.outlet IS 'Publisher named by the articles, else their site.';
COMMENT ON COLUMN v_coverage.articles IS 'Relevant articles from the outlet.';
COMMENT ON COLUMN v_coverage.announcements IS 'Distinct announcements those articles report.';
COMMENT ON COLUMN v_coverage.originals IS 'Articles that are the original of an announcement.';
COMMENT ON COLUMN v_coverage.copies IS 'Articles that copy an earlier article (verbatim, trimmed or edited).';
COMMENT ON COLUMN v_coverage.own_reports IS 'Articles neither original nor copy: the outlet''s own reporting.';
COMMENT ON COLUMN v_coverage.sightings IS 'Captures of the outlet''s relevant articles.';
COMMENT ON COLUMN v_coverage.median_lag_hours IS 'Median hours from the announcement''s original to the outlet''s article (negative: before it).';
COMMENT ON COLUMN v_coverage.fastest_lag_hours IS 'Shortest such lag, in hours.';

-- Pipeline health in one shape, one row per (area, subject, status):
--   run            runs per flow and status;
--   fetch_failure  failed HTTP attempts per host and status ('network error' when no response,
--                  'skipped: ...' when robots.txt or the address guard stopped the request);
--   ingest_error   recorded ingest problems per host (or file) and stage;
--   source         each source's last sign of life (its last successful fetch or state update;
--                  none for a source whose every attempt failed)
--                  against the rhythm its configuration expects, as its runs record it in
--                  source_schedules (GOV.UK every hour, the trade press every 6 hours; 6 hours for a
--                  source no run has recorded). A source idle for longer than twice that is 'stale'.
-- problem is true for the rows that need a look: failed runs, failures not recovered since (a later
-- success of the same URL, or of the page behind a GOV.UK Content API 404), stale sources.
CREATE OR REPLACE VIEW v_pipeline_health AS
WITH fetch_hosts AS (
    SELECT
        lower(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1)) AS host,
        CASE
            WHEN skipped IS NOT NULL THEN 'skipped: ' || skipped
            WHEN status IS NULL THEN 'network error'
            ELSE CAST(status AS VARCHAR)
        END AS status,
        requested_at,
        error,
        -- Recovered: the same URL, or the page a GOV.UK Content API item stands for (the source's
        -- designed fallback when the API answers 404), was fetched successfully since.
        EXISTS (
            SELECT 1
            FROM fetches later
            WHERE later.skipped IS NULL
              AND later.status BETWEEN 200 AND 399
              AND later.requested_at >= f.requested_at
              AND (later.url = f.url OR later.url = replace(f.url, '/api/content/', '/'))
        ) AS recovered
    FROM fetches f
    WHERE skipped IS NOT NULL OR status IS NULL OR status >= 400
),
source_activity AS (
    -- A source that was tried but never answered is listed too, with no last_at: stale.
    SELECT
        source,
        max(requested_at) FILTER (WHERE skipped IS NULL AND status BETWEEN 200 AND 399) AS last_at,
        count(*) FILTER (WHERE skipped IS NULL AND status BETWEEN 200 AND 399) AS fetches
    FROM fetches
    WHERE source IS NOT NULL
    GROUP BY source
    UNION ALL
    SELECT source, max(updated_at), 0 FROM source_state GROUP BY source
),
sources AS (
    SELECT
        a.source,
        max(a.last_at) AS last_at,
        sum(a.fetches) AS fetches,
        to_hours(CAST(coalesce(any_value(s.expected_every_hours), 6) AS BIGINT)) AS expected_every
    FROM source_activity a
    LEFT JOIN source_schedules s USING (source)
    GROUP BY a.source
)
SELECT
    'run' AS area,
    flow AS subject,
    status,
    count(*) AS total,
    max(started_at) AS last_at,
    'last finished ' || coalesce(CAST(max(finished_at) AS VARCHAR), 'never') AS detail,
    status = 'failed' AS problem
FROM runs
GROUP BY flow, status
UNION ALL
SELECT
    'fetch_failure',
    host,
    status,
    count(*),
    max(requested_at),
    concat_ws(' ', arg_max(error, requested_at), CASE WHEN bool_and(recovered) THEN '(recovered since)' END),
    NOT bool_and(recovered)
FROM fetch_hosts
GROUP BY host, status
UNION ALL
SELECT
    'ingest_error',
    coalesce(
        lower(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1)),
        regexp_replace(location, ':[0-9]+$', '')
    ),
    stage,
    count(*),
    max(recorded_at),
    arg_max(reason, recorded_at),
    true
FROM ingest_errors
GROUP BY ALL
UNION ALL
SELECT
    'source',
    source,
    CASE WHEN coalesce(last_at < now() - 2 * expected_every, true) THEN 'stale' ELSE 'ok' END,
    fetches,
    last_at,
    CASE WHEN last_at IS NULL THEN 'never fetched successfully; ' ELSE '' END
        || 'expected every ' || CAST(expected_every AS VARCHAR),
    coalesce(last_at < now() - 2 * expected_every, true)
FROM sources;

COMMENT ON VIEW v_pipeline_health IS 'Runs, failures and source freshness in one shape; WHERE problem lists what needs a look. Sources are expected as their runs record in source_schedules (GOV.UK every hour, others every 6 hours) and are stale past twice that.';
COMMENT ON COLUMN v_pipeline_health.area IS 'run, fetch_failure, ingest_error or source.';
COMMENT ON COLUMN v_pipeline_health.subject IS 'The flow (run), host (fetch_failure, ingest_error; a file for unreadable WARC records) or source.';
COMMENT ON COLUMN v_pipeline_health.status IS 'Run status; HTTP status, ''network error'' or ''skipped: ...''; ingest stage; ''ok'' or ''stale''.';
COMMENT ON COLUMN v_pipeline_health.total IS 'Runs, failed attempts or errors counted; for a source, its successful fetches.';
COMMENT ON COLUMN v_pipeline_health.last_at IS 'When it last happened; for a source, its last successful fetch or state update.';
COMMENT ON COLUMN v_pipeline_health.detail IS 'The latest error or reason, the last finish of a run, or the expected schedule of a source.';
COMMENT ON COLUMN v_pipeline_health.problem IS 'True when the row needs a look: a failed run, any failure, a stale source.';
