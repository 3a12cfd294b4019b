-- Institutes as things of their own, announcement kinds, and where an article's date came from.

-- One row per real institute: a partnership with a name of its own, a lead provider, partners and a
-- wave. Seeded from the registry in the package (topics/known_institutes.toml) and extended by the
-- names articles give; every name an article uses for an institute resolves to its institute_id.
CREATE TABLE institutes (
    institute_id  VARCHAR PRIMARY KEY,    -- the registry's key, else the slug of the name as first written
    name          VARCHAR NOT NULL,       -- its own name, else its lead's, else as first written
    lead_provider VARCHAR,                -- the organisation that led the bid; NULL when not known
    wave          INTEGER,                -- 1 (April 2019) or 2 (December 2021); NULL if never designated
    status        VARCHAR NOT NULL,       -- designated, shortlisted or proposed (named, never designated)
    announced_on  DATE,                   -- designated (or shortlisted) on: its announcement's date, else the registry's
    opened_on     DATE,                   -- its building opened on: an opening announcement's date, else the registry's
    partners      VARCHAR[],              -- partner colleges, universities and employers the registry lists
    aliases       VARCHAR[]               -- other names it goes by (its lead's, renamings, acronyms)
);

-- What kind of event an announcement is: competition, shortlist, designation, opening, funding or other.
ALTER TABLE announcements ADD COLUMN kind VARCHAR;

-- The institute a named institute resolves to (institutes.institute_id).
ALTER TABLE announcement_institutes ADD COLUMN institute_id VARCHAR;

-- Where published_at came from: page (the page's own metadata), url (a date in one of its addresses),
-- text ("today (8 October 2020)"), copy (the article it copies), announcement (its announcement's
-- original); NULL while unknown.
ALTER TABLE articles ADD COLUMN published_at_source VARCHAR;
UPDATE articles SET published_at_source = 'page' WHERE published_at IS NOT NULL;
