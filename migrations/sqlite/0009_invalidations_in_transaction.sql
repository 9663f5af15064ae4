-- The database writes the invalidation log itself, inside the transaction of the
-- change: a node that dies between committing a change and logging it can no
-- longer leave the other nodes serving the old version. The keys name the story,
-- the lists of every story, and the story's section (and its old section after a
-- move); readers add each section's ancestors, which the application knows.

-- A published story changed in the public's eyes: published, updated (a new live
-- revision or a new last-updated time), moved, killed, or its embargo changed.
-- Saving a draft of a published story changes none of these.
CREATE TRIGGER stories_log_public_change AFTER UPDATE ON stories
WHEN (OLD.status = 'published' OR NEW.status = 'published')
 AND (OLD.status IS NOT NEW.status
      OR OLD.live_revision IS NOT NEW.live_revision
      OR OLD.last_updated_at IS NOT NEW.last_updated_at
      OR OLD.section_id IS NOT NEW.section_id
      OR OLD.embargo_until IS NOT NEW.embargo_until)
BEGIN
    INSERT INTO invalidations (keys, at) VALUES (
        'story-' || NEW.id || ' lists lists-' || NEW.section_id
            || CASE WHEN OLD.section_id = NEW.section_id THEN '' ELSE ' lists-' || OLD.section_id END,
        unixepoch());
END;

-- A correction shows on a published story's page, print view and API document.
CREATE TRIGGER corrections_log_public_change AFTER INSERT ON corrections
WHEN (SELECT status FROM stories WHERE id = NEW.story_id) = 'published'
BEGIN
    INSERT INTO invalidations (keys, at)
    SELECT 'story-' || id || ' lists lists-' || section_id, unixepoch()
    FROM stories WHERE id = NEW.story_id;
END;
