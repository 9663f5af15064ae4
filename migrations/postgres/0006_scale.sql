-- Indexes for an archive of a million stories. Checked with EXPLAIN on a
-- synthetic archive (`dateline demo --stories N`); fronts, feeds, the API list
-- and articles already use the indexes of 0001-0003.

-- Sitemaps page through public stories in id order and the sitemap index counts
-- them. The count was a sequential scan of the whole table; with the embargo in
-- the index it is an index-only scan, and page offsets are walked in the index.
CREATE INDEX stories_public_by_id ON stories (status, id, embargo_until);
