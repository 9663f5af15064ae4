-- Issue 18: review notes, and indexes for the desk.
-- (Version 0020 is another step of issue 18; the numbers are shared.)

-- What an editor wrote when sending a submitted (or scheduled) story back to
-- its reporter (editorial::send_back, written in the same transaction as the
-- story's return to draft and its audit row). Newest first on the editor page;
-- the newest one is what the reporter's desk shows under "Sent back".
-- `author_name` is the editor's display name when they wrote it, so the note
-- keeps its signature if the account goes; `author_id` is NULL then.
CREATE TABLE review_notes (
    id          INTEGER PRIMARY KEY,
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    author_name TEXT    NOT NULL,
    note        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX review_notes_by_story ON review_notes (story_id, id);

-- The desk's lists without reading every story: stories awaiting review
-- (oldest submitted first), and each reporter's drafts.
CREATE INDEX stories_awaiting_review ON stories (submitted_at) WHERE submitted_at IS NOT NULL;
CREATE INDEX stories_drafts_by_owner ON stories (owner_id, modified_at) WHERE status = 'draft';
