-- The per-device token buckets, shared by every worker (ratelimit.SharedRateLimiter): one row
-- per device; `allowed` says whether the last request that touched it took a token. UNLOGGED:
-- no WAL and no fsync per request; after a crash the buckets start full again, which is fine.
CREATE UNLOGGED TABLE rate_buckets (
    key     TEXT PRIMARY KEY,
    tokens  DOUBLE PRECISION NOT NULL,
    at      DOUBLE PRECISION NOT NULL,  -- unix time of the last request
    allowed BOOLEAN NOT NULL
);
