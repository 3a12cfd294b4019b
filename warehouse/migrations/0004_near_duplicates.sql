-- Near-duplicate detection: a MinHash signature per article and its LSH band hashes, so a new
-- article is matched against the whole history with a join, not by loading everything.
CREATE TABLE article_signatures (
    article_id    VARCHAR PRIMARY KEY,
    shingle_count INTEGER NOT NULL,
    signature     BLOB NOT NULL            -- NUM_PERM little-endian uint32 values
);

CREATE TABLE article_bands (
    band_hash  BIGINT NOT NULL,
    article_id VARCHAR NOT NULL
);
CREATE INDEX article_bands_hash ON article_bands (band_hash);
CREATE INDEX article_bands_article ON article_bands (article_id);

-- Verified copy relations between two articles (a < b), with how similar they are.
CREATE TABLE article_copies (
    article_a   VARCHAR NOT NULL,
    article_b   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,          -- verbatim | trimmed | edited
    jaccard     DOUBLE NOT NULL,
    containment DOUBLE NOT NULL,
    PRIMARY KEY (article_a, article_b)
);

-- When announcements merge, the old id points at the new one so saved queries keep working.
CREATE TABLE announcement_aliases (
    old_id     VARCHAR PRIMARY KEY,
    new_id     VARCHAR NOT NULL,
    aliased_at TIMESTAMPTZ NOT NULL
);
