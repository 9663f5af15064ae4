-- Full-text search with SQLite's FTS5 over every story's headline, summary and body
-- (drafts too: the newsroom searches them; public searches join back to `stories`
-- and keep only what the public may see).
--
-- An external-content table: the text lives once, in `stories`, and FTS5 keeps
-- only its index. Triggers keep the index exactly in step with the row inside the
-- same transaction as every write (create, save, publish, update, kill, delete),
-- so nothing the application does can forget it. The `porter` tokenizer stems
-- English words (flood, floods, flooding), close to PostgreSQL's 'english' setup.
CREATE VIRTUAL TABLE stories_fts USING fts5(
    headline,
    summary,
    body,
    content = 'stories',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts (rowid, headline, summary, body)
    VALUES (new.id, new.headline, new.summary, new.body);
END;

CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, headline, summary, body)
    VALUES ('delete', old.id, old.headline, old.summary, old.body);
END;

-- Only a change to an indexed column re-indexes; status, revision and times do not.
CREATE TRIGGER stories_fts_update AFTER UPDATE OF headline, summary, body ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, headline, summary, body)
    VALUES ('delete', old.id, old.headline, old.summary, old.body);
    INSERT INTO stories_fts (rowid, headline, summary, body)
    VALUES (new.id, new.headline, new.summary, new.body);
END;

-- Index the stories already there (existing and demo databases).
INSERT INTO stories_fts (stories_fts) VALUES ('rebuild');
