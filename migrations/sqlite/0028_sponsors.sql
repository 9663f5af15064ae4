-- Issue 21: the sponsor slot. Campaigns sold and run from the newsroom, the
-- stories editors keep free of them, the staff with the commercial power, and
-- the counts of impressions and clicks. Nothing here names a reader.

-- A campaign: who sponsors, their picture (an uploaded picture, public only
-- while the campaign runs: web::sponsor), one short line, where a click goes
-- (http or https only, checked by domain::sponsor), when it runs
-- ([starts_at, ends_at) in Unix seconds), where it runs (`placement`: the
-- whole site, the sections and regions in sponsor_campaign_sections, or the
-- stories in sponsor_campaign_stories) and whether the print view shows it.
-- Changing a campaign logs the key `sponsors`, which every article page
-- carries, and every node reloads its copy of the running campaigns.
CREATE TABLE sponsor_campaigns (
    id          INTEGER PRIMARY KEY,
    sponsor     TEXT    NOT NULL,
    image_id    INTEGER NOT NULL REFERENCES images(id),
    alt         TEXT    NOT NULL,
    line        TEXT    NOT NULL,
    link        TEXT    NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL CHECK (ends_at > starts_at),
    placement   TEXT    NOT NULL CHECK (placement IN ('site', 'sections', 'stories')),
    in_print    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT    NOT NULL
);
-- Each node loads the campaigns that have not ended.
CREATE INDEX sponsor_campaigns_by_end ON sponsor_campaigns (ends_at);

-- Where a `sections` campaign runs: a section or region and everything under it.
CREATE TABLE sponsor_campaign_sections (
    campaign_id INTEGER NOT NULL REFERENCES sponsor_campaigns(id) ON DELETE CASCADE,
    section_id  INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, section_id)
);

-- Where a `stories` campaign runs: single stories.
CREATE TABLE sponsor_campaign_stories (
    campaign_id INTEGER NOT NULL REFERENCES sponsor_campaigns(id) ON DELETE CASCADE,
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, story_id)
);

-- Stories whose sponsor slot editors switched off (tragedies, sensitive
-- coverage): no campaign ever shows on them, whatever its placement.
CREATE TABLE sponsor_free_stories (
    story_id    INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    set_at      INTEGER NOT NULL,
    set_by      TEXT    NOT NULL
);

-- Staff with the commercial power: they manage campaigns and read their
-- reports (admins always may). A power beside the role, so a seller of
-- sponsorships needs no editorial role beyond the lowest.
CREATE TABLE commercial_staff (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    granted_at  INTEGER NOT NULL,
    granted_by  TEXT    NOT NULL
);

-- Impressions (the campaign's picture fetched) and clicks (its redirect
-- followed) per campaign and day (YYYY-MM-DD in the site's time zone). Each
-- is counted by one upsert that adds one in the row, so concurrent requests
-- on any node never lose an increment.
CREATE TABLE sponsor_counts (
    campaign_id INTEGER NOT NULL REFERENCES sponsor_campaigns(id) ON DELETE CASCADE,
    day         TEXT    NOT NULL,
    impressions INTEGER NOT NULL DEFAULT 0,
    clicks      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day)
);
