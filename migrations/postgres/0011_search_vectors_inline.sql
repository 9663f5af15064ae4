-- Keep the search vectors in the table's own rows (storage MAIN: compressed, and
-- moved out of line only if a row would not fit in a page) rather than in the
-- TOAST table, where 29% of `dateline demo`'s vectors had gone. A phrase query
-- rechecks every candidate's whole search_vector, since GIN does not hold word
-- positions; out of line, each recheck cost TOAST index and heap reads. With
-- the bodies still out of line first, rank_vector must be MAIN too, or the
-- toaster compresses it to make room and every ranked row decompresses it.
-- Measured on the newest 50,000 stories of a million, "council tax" as a phrase:
-- 38-53 ms with the vectors out of line, 17-23 ms inline (EXPLAIN ANALYZE on
-- copies of those rows, warm).
--
-- This changes how rows are written from now on, instantly. Rows already
-- written move when rewritten: `VACUUM (FULL, ANALYZE) stories` in a quiet
-- moment (it locks the table; 3 min 51 s for a million stories here).
ALTER TABLE stories
    ALTER COLUMN search_vector SET STORAGE MAIN,
    ALTER COLUMN rank_vector SET STORAGE MAIN;
