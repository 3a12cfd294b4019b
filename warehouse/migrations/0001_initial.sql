-- The warehouse's core tables. Timestamps are TIMESTAMPTZ and the writer's session runs in UTC.

-- One row per flow or command run.
CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    flow        VARCHAR NOT NULL,          -- ingest, backfill, reprocess, import-warc, ...
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status      VARCHAR NOT NULL,          -- running, completed, failed
    params      JSON,
    counts      JSON
);

-- One row per HTTP attempt. status is NULL on a network error.
CREATE TABLE fetches (
    fetch_id     VARCHAR PRIMARY KEY,
    url          VARCHAR NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    status       INTEGER,
    error        VARCHAR,
    elapsed_ms   DOUBLE,
    bytes        BIGINT,
    run_id       VARCHAR
);

-- The index of the raw archive: every response ever ingested, where its WARC record lives.
-- response_id is derived from (url, fetched_at, payload_digest), so one capture is stored once.
CREATE TABLE responses (
    response_id    VARCHAR PRIMARY KEY,
    url            VARCHAR NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL,
    status         INTEGER,
    content_type   VARCHAR,
    payload_digest VARCHAR NOT NULL,      -- sha1:BASE32, as WARC-Payload-Digest
    warc_file      VARCHAR NOT NULL,      -- relative to the raw archive directory
    warc_offset    BIGINT NOT NULL,
    warc_length    BIGINT NOT NULL,
    origin         VARCHAR NOT NULL,      -- fetch | import
    source         VARCHAR,
    run_id         VARCHAR
);

-- One row per distinct article: one story under several URLs (a mirror host, tracking parameters, two sections of one site) is one row; the same text on another site is a copy.
CREATE TABLE articles (
    article_id        VARCHAR PRIMARY KEY,
    url               VARCHAR NOT NULL,   -- canonical
    source            VARCHAR,
    publisher         VARCHAR,
    title             VARCHAR,
    description       VARCHAR,
    published_at      TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ,
    body_text         VARCHAR,
    body_hash         VARCHAR,            -- sha256 of the normalised body text
    site              VARCHAR,            -- registrable domain, e.g. gov.uk
    language          VARCHAR,
    authors           JSON,               -- bylines, or the publishing organisations
    withdrawn         BOOLEAN,
    is_relevant       BOOLEAN,
    relevance_score   DOUBLE,
    relevance_reasons JSON,
    facts             JSON,
    duplicate_of      VARCHAR,
    copy_kind         VARCHAR,
    announcement_id   VARCHAR,
    first_seen_at     TIMESTAMPTZ,
    last_seen_at      TIMESTAMPTZ,
    extractor_version VARCHAR,
    content_response_id VARCHAR           -- the capture the current content was extracted from
);

CREATE INDEX articles_site_body_hash ON articles (site, body_hash);

-- Every URL an article was seen at (raw and canonical forms).
CREATE TABLE article_urls (
    url        VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL
);

-- Every sighting: one response that yielded an article.
CREATE TABLE sightings (
    response_id       VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,
    canonical_url     VARCHAR NOT NULL,
    fetched_at        TIMESTAMPTZ NOT NULL,
    body_hash         VARCHAR,
    extractor_version VARCHAR NOT NULL
);

-- One row per real-world announcement.
CREATE TABLE announcements (
    announcement_id     VARCHAR PRIMARY KEY,
    headline            VARCHAR,
    announced_on        DATE,
    institute_count     INTEGER,
    funding_gbp         BIGINT,
    original_article_id VARCHAR,
    article_count       INTEGER
);

CREATE TABLE announcement_institutes (
    announcement_id VARCHAR NOT NULL,
    institute       VARCHAR NOT NULL,
    PRIMARY KEY (announcement_id, institute)
);

-- What went wrong, where and why: unreadable records, failed extractions, refused input.
-- Kept so a later run (or a person) can retry or explain it; never fatal to a run.
CREATE TABLE ingest_errors (
    error_id    VARCHAR PRIMARY KEY,      -- stable per (stage, location, reason): a re-run does not repeat it
    run_id      VARCHAR,
    stage       VARCHAR NOT NULL,         -- read | archive | extract | load | fetch
    location    VARCHAR NOT NULL,         -- file:offset or URL
    url         VARCHAR,
    reason      VARCHAR NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
