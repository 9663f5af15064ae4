-- Search ranks a query's newest matches (store::search), so it reads each word's
-- matches newest first. FTS5 keeps them in rowid order and reads a list
-- backwards by first walking each page of it forwards: at a million stories
-- that backward walk was the largest part of a search (bench/RESULTS.md,
-- 2026-12-07). The index is renumbered so that FTS5's own order is newest
-- first: a story's entry is 2^62 - id (`stories.search_rowid`; ids stay far
-- below 2^62), and search reads it forwards.
--
-- FTS5 looks a story's text up by that number (for highlights and snippets),
-- hence the column and its index. Rebuilding the index takes minutes on a
-- million-story archive (docs/OPERATIONS.md); a new database does it at once.
ALTER TABLE stories ADD COLUMN search_rowid INTEGER
    GENERATED ALWAYS AS (4611686018427387904 - id) VIRTUAL;
CREATE UNIQUE INDEX stories_search_rowid ON stories (search_rowid);

DROP TRIGGER stories_fts_insert;
DROP TRIGGER stories_fts_delete;
DROP TRIGGER stories_fts_update;
DROP TABLE stories_fts;

CREATE VIRTUAL TABLE stories_fts USING fts5(
    headline,
    summary,
    body,
    content = 'stories',
    content_rowid = 'search_rowid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- As in migration 0004, with the renumbered entry (written out, not read from
-- the generated column, so the triggers do not depend on when SQLite computes it).
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts (rowid, headline, summary, body)
    VALUES (4611686018427387904 - new.id, new.headline, new.summary, new.body);
END;

CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, headline, summary, body)
    VALUES ('delete', 4611686018427387904 - old.id, old.headline, old.summary, old.body);
END;

CREATE TRIGGER stories_fts_update AFTER UPDATE OF headline, summary, body ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, headline, summary, body)
    VALUES ('delete', 4611686018427387904 - old.id, old.headline, old.summary, old.body);
    INSERT INTO stories_fts (rowid, headline, summary, body)
    VALUES (4611686018427387904 - new.id, new.headline, new.summary, new.body);
END;

-- Rebuilt, then merged into one segment as `dateline demo` and `import` leave it
-- (a search seeks its words in every segment).
INSERT INTO stories_fts (stories_fts) VALUES ('rebuild');
INSERT INTO stories_fts (stories_fts) VALUES ('optimize');
