-- Indexes for an archive of a million stories. Checked with EXPLAIN QUERY PLAN
-- on a synthetic archive (`dateline demo --stories N`); fronts, feeds, the API
-- list and articles already use the indexes of 0001-0003.

-- Sitemaps page through public stories in id order ("WHERE status = 'published'
-- AND (embargo_until …) ORDER BY id"). Without this the planner filtered on
-- stories_by_first_published and sorted every published story by id in a temp
-- B-tree on each request. With the embargo in the index, the page offsets and
-- the sitemap index's count never read a story row: embargo_until sits after
-- the body, in the row's overflow pages.
CREATE INDEX stories_public_by_id ON stories (status, id, embargo_until);
