-- The regional server's database (SQLite). `events` is the truth: every
-- other table is rebuilt from it by server::projection.

CREATE TABLE points (
    id              TEXT    PRIMARY KEY,
    name            TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    token_hash      TEXT    NOT NULL UNIQUE,   -- SHA-256 of the bearer token
    created_at      TEXT    NOT NULL,
    revoked_at      TEXT,
    acked_seq       INTEGER NOT NULL DEFAULT 0, -- events 1..=acked_seq are held
    reported_head   INTEGER,                    -- the point's last seq, as it said
    last_contact_at TEXT,
    last_event_at   TEXT,
    flagged_seq     INTEGER,                    -- a changed event was offered here
    flagged_at      TEXT
) STRICT;
CREATE INDEX points_by_region ON points (region);

CREATE TABLE supervisors (
    name       TEXT PRIMARY KEY,
    region     TEXT NOT NULL,                   -- '*' is every region
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;

CREATE TABLE events (
    point_id    TEXT    NOT NULL REFERENCES points (id),
    seq         INTEGER NOT NULL,
    id          TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    payload     TEXT    NOT NULL,
    hash        TEXT    NOT NULL,               -- EventRecord::content_hash
    received_at TEXT    NOT NULL,
    PRIMARY KEY (point_id, seq)
) STRICT, WITHOUT ROWID;

-- A changed event offered under a known seq: kept for the investigation.
CREATE TABLE conflicts (
    point_id     TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    held_hash    TEXT    NOT NULL,
    offered_hash TEXT    NOT NULL,
    offered      TEXT    NOT NULL,              -- the offered event's JSON
    at           TEXT    NOT NULL
) STRICT;

CREATE TABLE tickets (
    point_id     TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    number       TEXT    NOT NULL,
    service_date TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    priority     TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    desk         INTEGER,
    taken_at     TEXT    NOT NULL,
    called_at    TEXT,
    serving_at   TEXT,
    finished_at  TEXT,
    PRIMARY KEY (point_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX tickets_by_day ON tickets (service_date, point_id, state);

CREATE TABLE appeals (
    point_id      TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    number        TEXT    NOT NULL,
    received_at   TEXT    NOT NULL,
    received_date TEXT    NOT NULL,             -- local (Asia/Almaty) day
    kind          TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    outcome       TEXT    NOT NULL,
    redirected_to TEXT,
    session_id    TEXT,
    ticket_id     TEXT,
    desk          INTEGER,
    under_control INTEGER NOT NULL DEFAULT 0,
    deadline      TEXT,
    closed_at     TEXT,
    updated_at    TEXT    NOT NULL,
    recorded_by   TEXT    NOT NULL,             -- the event's actor
    repeated      INTEGER NOT NULL DEFAULT 0,   -- the citizen appealed here before
    iin_key       TEXT,                         -- SHA-256 of point and IIN, not the IIN
    phone_key     TEXT,                         -- SHA-256 of point and phone
    PRIMARY KEY (point_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX appeals_by_day ON appeals (received_date, point_id);
CREATE INDEX appeals_by_received ON appeals (received_at);
CREATE INDEX appeals_by_iin_key ON appeals (point_id, iin_key) WHERE iin_key IS NOT NULL;
CREATE INDEX appeals_by_phone_key ON appeals (point_id, phone_key) WHERE phone_key IS NOT NULL;

-- Every change of an appeal's outcome or deadline, so the figures of a past
-- period count each appeal as it stood at the period's end (docs/REPORTS.md),
-- the same way a point counts them from its appeal_history.
CREATE TABLE appeal_changes (
    point_id      TEXT    NOT NULL,
    seq           INTEGER NOT NULL,
    appeal_id     TEXT    NOT NULL,
    at            TEXT    NOT NULL,
    outcome       TEXT,                         -- set by a recording or an outcome change
    redirected_to TEXT,
    deadline      TEXT,                         -- a deadline set (control, extension)
    PRIMARY KEY (point_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX appeal_changes_by_appeal ON appeal_changes (point_id, appeal_id, seq);

CREATE TABLE sessions (
    point_id  TEXT NOT NULL,
    id        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    date      TEXT NOT NULL,
    place     TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    PRIMARY KEY (point_id, id)
) STRICT, WITHOUT ROWID;
