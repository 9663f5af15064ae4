-- Keys for the Content API. Only a hash of each key is kept; each has its own rate limit.
CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    key_hash    TEXT    NOT NULL UNIQUE,
    per_minute  INTEGER NOT NULL,
    disabled    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);

-- The API lists stories by first publication within a date range.
CREATE INDEX stories_by_first_published ON stories (status, first_published_at DESC);
