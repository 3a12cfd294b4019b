-- Statements of notifications and the Atom feed (src/iot_ingest/notify/).

-- name: announcements
-- Every announcement with what a message or a feed entry says about it, in one row: the facts and
-- institutes (as v_announcements gives them), its original, and every article with its outlet.
-- Newest first.
WITH coverage AS (
    SELECT
        t.announcement_id,
        list(DISTINCT coalesce(a.publisher, a.site) ORDER BY coalesce(a.publisher, a.site))
            FILTER (WHERE coalesce(a.publisher, a.site) IS NOT NULL) AS outlet_names,
        list({'url': a.url, 'outlet': coalesce(a.publisher, a.site), 'title': a.title}
             ORDER BY a.published_at NULLS LAST, a.url) AS articles,
        max(a.first_seen_at) AS latest_article_seen_at
    FROM article_topics t JOIN articles a ON a.article_id = t.article_id
    WHERE t.announcement_id IS NOT NULL
    GROUP BY t.announcement_id
)
SELECT
    an.announcement_id,
    an.headline,
    an.kind,
    an.announced_on,
    an.institute_count,
    an.funding_gbp,
    v.institutes,
    an.original_article_id,
    v.original_url,
    v.original_publisher AS original_outlet,
    v.original_published_at,
    coalesce(an.article_count, 0) AS article_count,
    v.outlets,
    coalesce(c.outlet_names, []::VARCHAR[]) AS outlet_names,
    coalesce(c.articles, []) AS articles,
    c.latest_article_seen_at,
    an.topic
FROM announcements an
JOIN v_announcements v ON v.announcement_id = an.announcement_id
LEFT JOIN coverage c ON c.announcement_id = an.announcement_id
ORDER BY an.announced_on DESC NULLS LAST, v.original_published_at DESC NULLS LAST, an.announcement_id;

-- name: aliases
-- Replaced ids that still point somewhere: an id that is live again is no alias.
SELECT old_id, new_id FROM announcement_aliases
WHERE old_id NOT IN (SELECT announcement_id FROM announcements);

-- name: recorded_announcements
SELECT announcement_id, entry_id, fingerprint, article_count, institute_count, funding_gbp,
       original_article_id, first_recorded_at, kind
FROM notified_announcements;

-- name: entry_ids
SELECT announcement_id, entry_id FROM notified_announcements;

-- name: replace_recorded_announcements
DELETE FROM notified_announcements;
INSERT INTO notified_announcements BY NAME SELECT * FROM batch;

-- name: clear_recorded_announcements
DELETE FROM notified_announcements;

-- name: baseline_pending
SELECT count(*) > 0 FROM notify_baseline WHERE pending;

-- name: baseline_done
DELETE FROM notify_baseline;

-- name: failing_now
-- Sources failing now, as v_pipeline_health says: stale past their schedule (or never answered),
-- or whose discovery failed after their last sign of life.
WITH health AS (
    SELECT area, subject, status, last_at, detail, problem FROM v_pipeline_health
),
stale AS (
    SELECT subject AS source, last_at, detail FROM health WHERE area = 'source' AND problem
),
discovery AS (
    SELECT split_part(subject, ':', 1) AS source, max(last_at) AS failed_at, arg_max(detail, last_at) AS detail
    FROM health
    WHERE area = 'ingest_error' AND status = 'discover'
    GROUP BY ALL
)
SELECT source, 'stale: ' || detail AS reason FROM stale
UNION ALL
SELECT d.source, 'discovery failed: ' || d.detail
FROM discovery d
LEFT JOIN health s ON s.area = 'source' AND s.subject = d.source
WHERE s.last_at IS NULL OR d.failed_at > s.last_at
ORDER BY 1, 2;

-- name: recorded_failing
SELECT source, since, reason FROM failing_sources;

-- name: replace_failing
DELETE FROM failing_sources;
INSERT INTO failing_sources BY NAME SELECT * FROM batch;

-- name: clear_failing
DELETE FROM failing_sources;

-- name: enqueue
INSERT INTO notifications BY NAME SELECT * FROM batch ON CONFLICT DO NOTHING;

-- name: due
-- Messages not yet delivered, oldest first: new ones and those whose last attempt failed.
SELECT notification_id, event, subject_id, target, digest, payload, attempts
FROM notifications
WHERE status IN ('pending', 'failed')
ORDER BY created_at, payload ->> 'announced_on' NULLS FIRST, notification_id;

-- name: last_digest
-- When a target was last sent a daily digest.
SELECT max(attempted_at) FROM notifications WHERE target = ? AND digest = 'daily' AND status = 'sent';

-- name: record_attempts
UPDATE notifications SET status = batch.status, attempted_at = batch.attempted_at,
    attempts = notifications.attempts + 1, error = batch.error
FROM batch WHERE notifications.notification_id = batch.notification_id;
