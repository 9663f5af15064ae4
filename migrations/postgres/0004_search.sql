-- Full-text search with PostgreSQL's own engine over every story's headline,
-- summary and body (drafts too: the newsroom searches them; public searches keep
-- only what the public may see).
--
-- A stored generated column rather than a trigger: PostgreSQL recomputes it in
-- the same statement as every write to those columns, so it can never be out of
-- step, needs no trigger code, and adding it fills it for existing rows. Weights
-- rank a headline match (A) above the summary (B) above the body (C) in ts_rank.
-- The configuration is named ('english'), which makes to_tsvector immutable, as
-- a generated column requires.
ALTER TABLE stories ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', headline), 'A') ||
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', body), 'C')
) STORED;

CREATE INDEX stories_search ON stories USING GIN (search_vector);
