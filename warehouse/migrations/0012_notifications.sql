-- Notifications: what each [[notify]] target was sent, and what the last notification pass saw,
-- so a run announces only what changed since, whatever reprocessing did in between.

-- One row per message to one target: an event waiting, sent, or failed (retried on the next run).
CREATE TABLE notifications (
    notification_id VARCHAR PRIMARY KEY,      -- of (event_key, target): an event goes to a target once
    event           VARCHAR NOT NULL,         -- announcement.created | announcement.updated | source.failing
    event_key       VARCHAR NOT NULL,         -- the event's identity, the same for every target
    subject_id      VARCHAR NOT NULL,         -- announcement id, or source name
    target          VARCHAR NOT NULL,         -- the [[notify]] name, never its URL
    digest          VARCHAR NOT NULL,         -- immediate | daily
    status          VARCHAR NOT NULL,         -- pending | sent | failed
    payload         JSON NOT NULL,            -- what the message says, as of the event
    created_at      TIMESTAMPTZ NOT NULL,
    attempted_at    TIMESTAMPTZ,
    attempts        INTEGER NOT NULL DEFAULT 0,
    error           VARCHAR                   -- why the last attempt failed, secrets redacted
);
CREATE INDEX notifications_status ON notifications (status, target);

-- Every announcement as the last notification pass recorded it.
CREATE TABLE notified_announcements (
    announcement_id     VARCHAR PRIMARY KEY,
    entry_id            VARCHAR NOT NULL,     -- stable through aliasing: feed entries and event resources
    fingerprint         VARCHAR NOT NULL,     -- of what an update is about: count, sum, institutes, original, articles
    article_count       INTEGER,
    institute_count     INTEGER,
    funding_gbp         BIGINT,
    original_article_id VARCHAR,
    first_recorded_at   TIMESTAMPTZ NOT NULL,
    recorded_at         TIMESTAMPTZ NOT NULL
);

-- Sources failing now, since when: source.failing is sent when one enters this table.
CREATE TABLE failing_sources (
    source VARCHAR PRIMARY KEY,
    since  TIMESTAMPTZ NOT NULL,
    reason VARCHAR
);

-- A warehouse that already had announcements when this migration ran records them on its next
-- notification pass without announcing them: they are history, not news.
CREATE TABLE notify_baseline (pending BOOLEAN NOT NULL);
INSERT INTO notify_baseline SELECT true WHERE EXISTS (SELECT 1 FROM announcements);
