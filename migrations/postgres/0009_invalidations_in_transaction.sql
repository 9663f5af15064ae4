-- The database writes the invalidation log itself, inside the transaction of the
-- change: a node that dies between committing a change and logging it can no
-- longer leave the other nodes serving the old version. The keys name the story,
-- the lists of every story, and the story's section (and its old section after a
-- move); readers add each section's ancestors, which the application knows.

-- Which node's connection wrote the row (each node names its connections with the
-- setting dateline.node): a node passes over its own changes, having dropped its
-- copies when it made them. NULL, and so followed by every node, from elsewhere.
ALTER TABLE invalidations ADD COLUMN node TEXT DEFAULT current_setting('dateline.node', true);

-- Every new log row wakes the other nodes. A NOTIFY sent inside a transaction is
-- delivered when it commits, and never if it rolls back.
CREATE FUNCTION notify_invalidation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dateline_invalidations', NEW.id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER invalidations_notify AFTER INSERT ON invalidations
FOR EACH ROW EXECUTE FUNCTION notify_invalidation();

-- A published story changed in the public's eyes: published, updated (a new live
-- revision or a new last-updated time), moved, killed, or its embargo changed.
-- Saving a draft of a published story changes none of these.
CREATE FUNCTION log_story_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invalidations (keys, at) VALUES (
        'story-' || NEW.id || ' lists lists-' || NEW.section_id
            || CASE WHEN OLD.section_id = NEW.section_id THEN '' ELSE ' lists-' || OLD.section_id END,
        CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER stories_log_public_change AFTER UPDATE ON stories
FOR EACH ROW
WHEN ((OLD.status = 'published' OR NEW.status = 'published')
  AND (OLD.status IS DISTINCT FROM NEW.status
       OR OLD.live_revision IS DISTINCT FROM NEW.live_revision
       OR OLD.last_updated_at IS DISTINCT FROM NEW.last_updated_at
       OR OLD.section_id IS DISTINCT FROM NEW.section_id
       OR OLD.embargo_until IS DISTINCT FROM NEW.embargo_until))
EXECUTE FUNCTION log_story_change();

-- A correction shows on a published story's page, print view and API document.
CREATE FUNCTION log_correction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invalidations (keys, at)
    SELECT 'story-' || id || ' lists lists-' || section_id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)
    FROM stories WHERE id = NEW.story_id AND status = 'published';
    RETURN NULL;
END $$;
CREATE TRIGGER corrections_log_public_change AFTER INSERT ON corrections
FOR EACH ROW EXECUTE FUNCTION log_correction();
