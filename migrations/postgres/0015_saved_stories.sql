-- Issue 16: "Save for later" and the reader's copies on every node.

-- Stories a reader saved for later, newest saved first on /account/saved. The
-- row goes with the reader (account deletion) and with the story; a story that
-- stops being public stays saved but is not listed while it is not public (the
-- list applies the public condition), so an embargo lifted brings it back.
CREATE TABLE saved_stories (
    reader_id  BIGINT NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    story_id   BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    saved_at   BIGINT NOT NULL,
    PRIMARY KEY (reader_id, story_id)
);
-- The saved page reads one reader's rows newest first.
CREATE INDEX saved_stories_newest ON saved_stories (reader_id, saved_at, story_id);
-- Deleting a story finds its saved rows without reading the whole table.
CREATE INDEX saved_stories_by_story ON saved_stories (story_id);

-- Public pages for a signed-in reader are rendered from a short-lived copy of the
-- reader's session (name, CSRF token, saved story ids) kept by each node
-- (src/web/reader_pages.rs). When something that copy shows ends or changes, the
-- database logs the key `reader-<id>` in the invalidation log, inside the change's
-- own transaction, and every node drops its copies of that reader. The rows are
-- written with no node name (`node` NULL, not this connection's `dateline.node`),
-- so the node that made the change follows them too: sessions are ended by the
-- account pages, which do not drop copies themselves. Saving and removing a story
-- log their rows in the store (not here), so that deleting a reader with many
-- saved stories logs one row, not one per story.
-- Each function logs one reader's key; OLD holds the row for a delete and for an
-- update alike (a reader's id never changes).
CREATE FUNCTION log_reader_session_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invalidations (keys, at, node)
    VALUES ('reader-' || OLD.reader_id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT), NULL);
    RETURN NULL;
END $$;
CREATE FUNCTION log_reader_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invalidations (keys, at, node)
    VALUES ('reader-' || OLD.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT), NULL);
    RETURN NULL;
END $$;

-- A session ended: signed out, expired and cleaned up, a password changed or
-- reset, the account deleted.
CREATE TRIGGER reader_sessions_log_end AFTER DELETE ON reader_sessions
FOR EACH ROW EXECUTE FUNCTION log_reader_session_end();

-- The name the masthead shows changed.
CREATE TRIGGER readers_log_rename AFTER UPDATE OF display_name ON readers
FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name)
EXECUTE FUNCTION log_reader_change();

-- The account was deleted.
CREATE TRIGGER readers_log_delete AFTER DELETE ON readers
FOR EACH ROW EXECUTE FUNCTION log_reader_change();
