-- PostgreSQL only (SQLite has no search bands): the search bands become 10,000
-- story ids each instead of 50,000, to go with a ranked window of 500 matches
-- instead of 2,500 (store::search_bands, store::search). The old bands'
-- partial indexes, named stories_search_band_N, would be unused and still
-- updated by every write: they are dropped here. The new ones,
-- stories_search_b10000_N, are made concurrently by the next server's start;
-- until a band has its index its searches use the whole archive's index, with
-- the same results.
DO $$
DECLARE
    old_band text;
BEGIN
    FOR old_band IN
        SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'stories'::regclass
          AND c.relname LIKE 'stories\_search\_band\_%'
    LOOP
        EXECUTE format('DROP INDEX %I', old_band);
    END LOOP;
END
$$;
