-- Issue 20: phrases of common words. A GIN index of `search_vector` cannot test
-- whether two words stand side by side, so a quoted phrase such as "talks
-- expanded" rechecked every story holding both words, band after band: for a
-- rare phrase of common words, most of the archive (`bench/RESULTS.md`,
-- 2026-12-06). This indexes each story's pairs of neighbouring lexemes
-- ("talk expand"), so such a phrase finds its few stories from the index and
-- rechecks only those (`search_postgres`, `Look::Pairs`).
--
-- An expression index rather than a stored column: nothing is added to the
-- rows, and a pair query (lexemes joined by AND, no positions) needs no recheck,
-- so the function runs when a story is written, not when it is searched. It is
-- the same function of the same vector on both sides, so a story's pairs are
-- always those of its search vector, in its own edition's configuration.
-- Positions count stop words, so the words of "talks of expansion" are not
-- neighbours: only pairs at consecutive positions are made, in the index and in
-- a query, which keeps every pair of a phrase's neighbouring words a condition
-- every match meets.

CREATE FUNCTION dateline_word_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH words AS (SELECT lexeme, unnest(positions) AS position FROM unnest(vector))
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
    FROM words a JOIN words b ON b.position = a.position + 1
$$;

-- The pairs of a phrase's neighbouring words in configuration `config`, joined
-- by AND; NULL when it has none (one word, or words apart by stop words).
CREATE FUNCTION dateline_phrase_pairs(config regconfig, phrase text) RETURNS tsquery
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    WITH words AS (SELECT lexeme, unnest(positions) AS position FROM unnest(to_tsvector(config, phrase)))
    SELECT string_agg(quote_literal(a.lexeme || ' ' || b.lexeme), ' & ')::tsquery
    FROM words a JOIN words b ON b.position = a.position + 1
$$;

CREATE INDEX stories_word_pairs ON stories USING GIN (dateline_word_pairs(search_vector));

-- Statistics of the new index's pairs: without them the planner puts every
-- pair at one default share, and a common phrase would be read by its pairs
-- (`few_candidates`) until autovacuum's next analysis.
ANALYZE stories;
