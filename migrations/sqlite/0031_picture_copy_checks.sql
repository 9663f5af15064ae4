-- The CDN's public copies of pictures (media_public_url) to bring in step
-- with visibility: an outbox. Every change that can make a picture public or
-- withdraw it (publish, kill, embargo, a due schedule, a live post, a WebP
-- made by `dateline migrate`) writes its pictures here in the same
-- transaction. After it commits, the node writes or deletes their copies and
-- deletes the rows it finished; a row a failed or interrupted sync left is
-- retried by the scheduler of any node. Rows are written only while public
-- copies are configured.
--
-- No foreign key to images: a check for a deleted picture removes its copies.
CREATE TABLE picture_copy_checks (
    picture_id INTEGER PRIMARY KEY,
    -- When the check may next be tried (a node that claims it moves this on,
    -- so that another node leaves it alone while it works).
    due_at     INTEGER NOT NULL,
    -- Moves on with each change queued: a sync closes the row only if no
    -- change came after it read the picture's visibility.
    generation INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX picture_copy_checks_due ON picture_copy_checks (due_at);
