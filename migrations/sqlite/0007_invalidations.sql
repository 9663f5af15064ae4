-- Every change that drops cached copies of pages, in order, so that every node
-- serving this database drops its own copies too. Rows are pruned after a day.
CREATE TABLE invalidations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Surrogate keys separated by spaces, as in the Surrogate-Key header.
    keys TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX invalidations_by_time ON invalidations (at);
