-- Boilerplate detection for near-duplicates: the paragraphs of every article, by publisher, so a
-- paragraph that one publisher repeats across its articles (an agency footer) is found with a
-- GROUP BY and left out before shingling. Signatures and bands before this migration included
-- such paragraphs, and band hashes were computed differently: `reprocess` recomputes them.
CREATE TABLE article_paragraphs (
    article_id     VARCHAR NOT NULL,
    publisher      VARCHAR NOT NULL,        -- the article's site, else its publisher
    paragraph_hash BIGINT NOT NULL,         -- of the normalised paragraph text
    PRIMARY KEY (article_id, paragraph_hash)
);
CREATE INDEX article_paragraphs_hash ON article_paragraphs (paragraph_hash);
