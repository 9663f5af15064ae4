-- Issue 19: each story's search vectors are made with its edition's text search
-- configuration (`stories.search_config`, kept by the trigger of 0022), so an
-- Arabic or Russian story is stemmed in its own language, and a search names
-- the configuration of the edition it searches in `to_tsquery`.
--
-- A generated column's expression cannot be altered, so both columns are made
-- again (which rewrites the table and fills them). `to_tsvector(regconfig, text)`
-- is immutable, as a generated column requires. PostgreSQL computes generated
-- columns after BEFORE triggers, so they see the configuration the trigger set.
-- Weights as in 0004 and 0010; storage MAIN as in 0011. Dropping search_vector
-- drops its GIN index (made again here) and the search bands' partial indexes,
-- which `Store::ensure_search_bands` makes again when the server starts.
ALTER TABLE stories DROP COLUMN search_vector, DROP COLUMN rank_vector;

ALTER TABLE stories ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(search_config, headline), 'A') ||
    setweight(to_tsvector(search_config, summary), 'B') ||
    setweight(to_tsvector(search_config, body), 'C')
) STORED;

ALTER TABLE stories ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(search_config, headline), 'A') ||
    setweight(to_tsvector(search_config, summary), 'B')
) STORED;

ALTER TABLE stories
    ALTER COLUMN search_vector SET STORAGE MAIN,
    ALTER COLUMN rank_vector SET STORAGE MAIN;

CREATE INDEX stories_search ON stories USING GIN (search_vector);
