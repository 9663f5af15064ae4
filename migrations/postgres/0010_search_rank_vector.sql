-- What search ranks by: the headline (weight A) and summary (B) alone. Ranking a
-- window of matches with the whole search_vector decompressed every row's body
-- lexemes (1.7 kB compressed per story on average in `dateline demo`); this
-- vector is about 200 bytes and stored inline. On a million stories,
-- bench/search.sh went from p50 65 ms to 48 ms with it.
-- A match in the body still finds the story (search_vector and its GIN index
-- decide what matches); among stories that match only in their bodies, the most
-- recently updated comes first.
ALTER TABLE stories ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', headline), 'A') ||
    setweight(to_tsvector('english', summary), 'B')
) STORED;
