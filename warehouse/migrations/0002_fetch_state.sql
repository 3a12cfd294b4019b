-- Conditional GET validators per URL, so an unchanged page costs a 304 and no re-extraction.
CREATE TABLE http_validators (
    url           VARCHAR PRIMARY KEY,
    etag          VARCHAR,
    last_modified VARCHAR,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- Why a fetch attempt was not even sent (robots.txt, the address guard) or what it hit.
ALTER TABLE fetches ADD COLUMN source VARCHAR;
ALTER TABLE fetches ADD COLUMN skipped VARCHAR;

CREATE INDEX fetches_url ON fetches (url);
