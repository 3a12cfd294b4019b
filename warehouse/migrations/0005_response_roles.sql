-- What each archived response was to the pipeline, so `reprocess` treats it the same way again:
-- 'page' (read for an article) or 'discovery' (a feed, sitemap, listing or API page: archived only).
ALTER TABLE responses ADD COLUMN role VARCHAR DEFAULT 'page';
