-- Issue 18: the editor's autosave slots.

-- What a member of staff typed in the story editor and has not saved yet, kept
-- while they type (POST /newsroom/stories/{id}/autosave) so a closed tab, a
-- crashed browser or a lost connection loses nothing: the editor offers it back.
-- One slot per (user, story), and one per user for a story not yet created
-- (`story_id` NULL): each new autosave replaces the slot's row in one statement.
-- A slot is private to its user: it is not a revision, never public, writes no
-- audit row, and no trigger reads this table, so an autosave never writes the
-- invalidation log (no public cache is dropped by typing). A successful save of
-- the story by the user deletes the slot in the save's own transaction
-- (store::editorial); the rows go with the user and the story.
-- `form` is the editor form's fields as typed, as JSON (web::newsroom::form::
-- EditorForm without the CSRF token, the upload and the button); `base_revision`
-- is the revision the form was opened on (NULL for a new story), so restoring the
-- slot and saving it is checked for conflicts like any save.
CREATE TABLE autosaves (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    story_id       INTEGER REFERENCES stories(id) ON DELETE CASCADE,
    base_revision  INTEGER,
    form           TEXT    NOT NULL,
    saved_at       INTEGER NOT NULL
);
-- The two kinds of slot, each unique: the upserts name these as their conflict targets.
CREATE UNIQUE INDEX autosaves_story_slot ON autosaves (user_id, story_id) WHERE story_id IS NOT NULL;
CREATE UNIQUE INDEX autosaves_new_story_slot ON autosaves (user_id) WHERE story_id IS NULL;
-- Deleting a story finds its slots without reading the whole table.
CREATE INDEX autosaves_by_story ON autosaves (story_id) WHERE story_id IS NOT NULL;
