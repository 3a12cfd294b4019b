-- Per-source incremental state (watermarks), as JSON values by key.
CREATE TABLE source_state (
    source     VARCHAR NOT NULL,
    key        VARCHAR NOT NULL,
    value      JSON,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, key)
);

-- Backfill units: one row per source and date window. A re-run skips the done ones.
CREATE TABLE backfill_windows (
    source      VARCHAR NOT NULL,
    since       DATE NOT NULL,
    until       DATE NOT NULL,
    status      VARCHAR NOT NULL,          -- pending | done | failed
    reason      VARCHAR,                   -- why it failed
    items       INTEGER,                   -- items discovered in the window
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    run_id      VARCHAR,
    PRIMARY KEY (source, since, until)
);

-- Discovered items left out before fetching, and why (off-topic, out of range, unchanged).
CREATE TABLE skipped_items (
    source     VARCHAR NOT NULL,
    url        VARCHAR NOT NULL,
    title      VARCHAR,
    reason     VARCHAR NOT NULL,
    run_id     VARCHAR,
    skipped_at TIMESTAMPTZ NOT NULL
);
