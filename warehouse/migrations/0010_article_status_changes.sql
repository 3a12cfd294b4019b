-- What a source said about an article besides its content: GOV.UK items redirected elsewhere,
-- unpublished (gone, 410) or withdrawn. Never an article row of their own, so a redirect or an
-- unpublishing never replaces the good capture already held; one row per response that said it.
CREATE TABLE article_status_changes (
    response_id  VARCHAR PRIMARY KEY,     -- the response that reported the change
    url          VARCHAR NOT NULL,        -- the article's page URL (canonical)
    article_id   VARCHAR,                 -- the article already held at that URL, if any
    status       VARCHAR NOT NULL,        -- redirected | gone | withdrawn
    destination  VARCHAR,                 -- the new address (redirected), or the alternative (gone)
    detail       VARCHAR,                 -- GOV.UK's explanation, as text
    observed_at  TIMESTAMPTZ NOT NULL,    -- when the response was fetched
    run_id       VARCHAR
);
