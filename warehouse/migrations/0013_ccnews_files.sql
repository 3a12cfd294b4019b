-- CC-NEWS backfill units: one row per WARC file of a month. A re-run scans the files not done;
-- a done file is never read again unless forced.
CREATE TABLE ccnews_files (
    source      VARCHAR NOT NULL,         -- the ccnews source that scans it
    path        VARCHAR NOT NULL,         -- path in the crawl, crawl-data/CC-NEWS/YYYY/MM/...warc.gz
    month       DATE NOT NULL,            -- first day of the crawl month whose list names it
    status      VARCHAR NOT NULL,         -- pending | done | failed
    reason      VARCHAR,                  -- why it failed
    records     INTEGER,                  -- response records read
    prefiltered INTEGER,                  -- dropped before parsing: other hosts, or bytes off the topic
    extracted   INTEGER,                  -- records an article was extracted from
    relevant    INTEGER,                  -- of which about the topic
    bytes       BIGINT,                   -- compressed bytes downloaded
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    run_id      VARCHAR,
    PRIMARY KEY (source, path)
);

-- Where each archived CC-NEWS record came from: its WARC file and the offset of its gzip member.
CREATE TABLE ccnews_records (
    response_id VARCHAR PRIMARY KEY,      -- the response in the raw archive
    path        VARCHAR NOT NULL,         -- CC-NEWS WARC file
    warc_offset BIGINT NOT NULL           -- byte offset of the record in that file
);
