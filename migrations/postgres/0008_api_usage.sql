-- API requests per rate-limit bucket (a key, or an address without one) and minute,
-- summed over every node, so a limit holds for the whole site rather than per node.
-- Each node adds its own counts about once a second. Rows older than the previous
-- minute are deleted; UNLOGGED because the counts are worth nothing after a crash.
CREATE UNLOGGED TABLE api_usage (
    minute  BIGINT NOT NULL,
    bucket  TEXT   NOT NULL,
    count   BIGINT NOT NULL,
    PRIMARY KEY (minute, bucket)
);
