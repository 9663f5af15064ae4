-- Every change that drops cached copies of pages, in order, so that every node
-- serving this database drops its own copies too (a NOTIFY on the channel
-- dateline_invalidations wakes them; they also poll, in case one is missed).
-- Rows are pruned after a day.
CREATE TABLE invalidations (
    id BIGSERIAL PRIMARY KEY,
    -- Surrogate keys separated by spaces, as in the Surrogate-Key header.
    keys TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX invalidations_by_time ON invalidations (at);
