-- How often each configured source is expected to have something new, written by every run of the
-- source from its configuration: what the schedules poll at and what v_pipeline_health judges a
-- source's freshness by, one rule for both.
CREATE TABLE source_schedules (
    source               VARCHAR PRIMARY KEY,
    kind                 VARCHAR NOT NULL,    -- govuk_search, feed, sitemap, listing, wayback
    expected_every_hours INTEGER NOT NULL,    -- 1 for GOV.UK, 6 for the trade press
    recorded_at          TIMESTAMPTZ NOT NULL -- when a run last recorded it
);
