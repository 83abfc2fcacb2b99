-- The point's local database. `events` is the truth; every other table is
-- what the screens read, kept by store::projection in the same transaction.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE events (
    seq      INTEGER PRIMARY KEY,          -- 1, 2, 3, ... with no gaps
    point_id TEXT    NOT NULL,
    id       TEXT    NOT NULL UNIQUE,      -- UUID v7
    at       TEXT    NOT NULL,             -- RFC 3339, UTC, milliseconds
    actor    TEXT    NOT NULL,
    kind     TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    payload  TEXT    NOT NULL              -- JSON
) STRICT;

CREATE TABLE tickets (
    id           TEXT    PRIMARY KEY,
    service_date TEXT    NOT NULL,         -- the point's local date
    prefix       TEXT    NOT NULL,
    number       INTEGER NOT NULL,
    category     TEXT    NOT NULL,
    priority     TEXT    NOT NULL,
    lang         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    desk         INTEGER,                  -- the desk that called it
    target_desk  INTEGER,                  -- set by a transfer to one desk
    taken_at     TEXT    NOT NULL,
    called_at    TEXT,                     -- the latest call or recall
    serving_at   TEXT,
    finished_at  TEXT,
    recalls      INTEGER NOT NULL DEFAULT 0,
    transfers    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (service_date, prefix, number)
) STRICT;
CREATE INDEX tickets_by_day_state ON tickets (service_date, state);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    date       TEXT NOT NULL,
    place      TEXT NOT NULL,
    officials  TEXT NOT NULL,              -- JSON array of names
    opened_at  TEXT NOT NULL,
    opened_by  TEXT NOT NULL,
    closed_at  TEXT
) STRICT;

CREATE TABLE appeals (
    id            TEXT    PRIMARY KEY,
    year          INTEGER NOT NULL,
    number        INTEGER NOT NULL,
    received_at   TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    consent       INTEGER NOT NULL,
    citizen_name  TEXT,
    citizen_iin   TEXT,
    citizen_phone TEXT,
    settlement    TEXT,
    workplace     TEXT,
    text          TEXT    NOT NULL,
    heard_by      TEXT    NOT NULL,        -- JSON array of names
    ticket_id     TEXT REFERENCES tickets (id),
    session_id    TEXT REFERENCES sessions (id),
    desk          INTEGER,
    lang          TEXT    NOT NULL,
    recorded_by   TEXT    NOT NULL,
    repeated      INTEGER NOT NULL DEFAULT 0,
    outcome       TEXT    NOT NULL,
    redirected_to TEXT,
    under_control INTEGER NOT NULL DEFAULT 0,
    responsible   TEXT,
    deadline      TEXT,
    closed_at     TEXT,
    updated_at    TEXT    NOT NULL,
    UNIQUE (year, number)
) STRICT;
CREATE INDEX appeals_by_iin ON appeals (citizen_iin) WHERE citizen_iin IS NOT NULL;
CREATE INDEX appeals_by_phone ON appeals (citizen_phone) WHERE citizen_phone IS NOT NULL;
CREATE INDEX appeals_by_received ON appeals (received_at);
CREATE INDEX appeals_under_control ON appeals (deadline) WHERE under_control = 1;

-- Who changed what on an appeal, one row per event.
CREATE TABLE appeal_history (
    seq       INTEGER PRIMARY KEY REFERENCES events (seq),
    appeal_id TEXT    NOT NULL REFERENCES appeals (id),
    at        TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    detail    TEXT    NOT NULL             -- the event's payload
) STRICT;
CREATE INDEX appeal_history_by_appeal ON appeal_history (appeal_id, seq);

CREATE TABLE staff (
    login          TEXT    PRIMARY KEY,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    pin_hash       TEXT,                   -- argon2; never leaves the point
    disabled       INTEGER NOT NULL DEFAULT 0,
    failed_pins    INTEGER NOT NULL DEFAULT 0,
    last_failed_at TEXT,
    created_at     TEXT    NOT NULL
) STRICT;

-- Local settings changed at run time (campaign mode by an admin, the
-- kiosk's exit PIN hash).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Full-text search over appeals and their citizens. The text indexed is
-- folded by store::search::fold (lower case for Kazakh and Russian letters,
-- ё as е), and queries are folded the same way, so matching does not depend
-- on the tokenizer's own case tables.
CREATE VIRTUAL TABLE appeal_search USING fts5 (
    appeal_id UNINDEXED,
    body,
    tokenize = 'unicode61 remove_diacritics 0'
);
