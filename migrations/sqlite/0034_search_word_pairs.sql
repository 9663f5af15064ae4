-- Issue 20: phrases of common words on SQLite, as migration 0032 did for
-- PostgreSQL. FTS5 found a quoted phrase such as "talks expanded" by reading
-- every story holding both words and comparing positions: a phrase cost about
-- five times a single word at a million stories (bench/RESULTS.md,
-- 2026-12-07). The index is made again with the `dateline_pairs` tokenizer
-- (store::fts_pairs), which indexes, beside each word, the pair it makes with
-- the next word at the same position; search asks for a phrase by its pairs,
-- one list read, with the same matches, positions and scores.
--
-- `dateline_pairs` is registered by Dateline on each of its connections; a
-- program without it (the sqlite3 shell) can still read every table but can
-- no longer search or change a story's text (docs/OPERATIONS.md).
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
    tokenize = 'dateline_pairs porter unicode61 remove_diacritics 2'
);

-- As in migration 0033.
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

INSERT INTO stories_fts (stories_fts) VALUES ('rebuild');
INSERT INTO stories_fts (stories_fts) VALUES ('optimize');
