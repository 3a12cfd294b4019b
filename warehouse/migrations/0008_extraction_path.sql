-- Which candidate produced each article's body ('dom', 'dom+up2', 'container', 'json-ld', 'govspeak',
-- 'content-api', ...), so pages where extraction fell back or took an unusual path are found with SQL.
-- NULL for articles loaded before this migration until `reprocess` re-extracts them.
ALTER TABLE articles ADD COLUMN extraction_path VARCHAR;
