-- The way back (docs/REGION.md). Per point, the region's decisions with a
-- gapless sequence of their own (`rseq` from 1), written in the transaction
-- of the change they make here, so the server never shows a decision its
-- point will not receive. Like `events`, this log is a truth: it is copied,
-- never rebuilt.
CREATE TABLE region_events (
    point_id TEXT    NOT NULL REFERENCES points (id),
    rseq     INTEGER NOT NULL,
    id       TEXT    NOT NULL UNIQUE,
    at       TEXT    NOT NULL,
    by_name  TEXT,
    by_login TEXT    NOT NULL,                 -- regional staff, or 'admin'
    kind     TEXT    NOT NULL,                 -- RegionDecision's tag
    decision TEXT    NOT NULL,                 -- RegionDecision as JSON
    PRIMARY KEY (point_id, rseq)
) STRICT, WITHOUT ROWID;

-- The point has applied its region log through this `rseq` (it says so by
-- fetching after it).
ALTER TABLE points ADD COLUMN region_acked INTEGER NOT NULL DEFAULT 0;

-- Who set the outcome last (`appeal_state::Stamp` text): either side's
-- change replaces it only with a higher stamp.
ALTER TABLE appeals ADD COLUMN outcome_stamp TEXT;

-- The region's own staff: controllers follow appeals under control,
-- supervisors read, admins also set region-wide directives.
CREATE TABLE staff (
    login          TEXT    PRIMARY KEY,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL,           -- controller, supervisor, admin
    region         TEXT    NOT NULL,           -- '*' is every region
    pin_hash       TEXT    NOT NULL,           -- argon2 PHC string
    created_at     TEXT    NOT NULL,
    disabled_at    TEXT,
    failed_pins    INTEGER NOT NULL DEFAULT 0, -- wrong PINs in a row
    last_failed_at TEXT
) STRICT;

-- Every attempt to log in, right or wrong, unknown logins included.
CREATE TABLE staff_attempts (
    login  TEXT NOT NULL,                      -- as typed (sanitised)
    at     TEXT NOT NULL,
    result TEXT NOT NULL                       -- domain::event::LoginResult
) STRICT;
CREATE INDEX staff_attempts_by_login ON staff_attempts (login, at);
