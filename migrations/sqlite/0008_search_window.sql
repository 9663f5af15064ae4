-- Search ranks a query's newest matches (see store::search). Each match is
-- joined to its story to check that the public may see it, and in `stories`
-- the columns that check needs come after the body, so reading them from the
-- row walks the body's overflow pages. This covering index holds them beside
-- the id, so the check never touches the row: a search of a common word over a
-- million stories went from about 5 ms of joining to 1 ms.
CREATE INDEX stories_search_filter
    ON stories (id, status, embargo_until, last_updated_at, first_published_at, section_id, owner_id);
