-- The regional server's database (PostgreSQL): the same tables as the
-- SQLite backend's 0001_server.sql, with PostgreSQL's types. `events` is the
-- truth: every other table is rebuilt from it by server::projection.
-- Times are timestamptz, kept to the millisecond as SQLite keeps them.

CREATE TABLE points (
    id              text        PRIMARY KEY,
    name            text        NOT NULL,
    region          text        NOT NULL,
    kind            text        NOT NULL,
    token_hash      text        NOT NULL UNIQUE,  -- SHA-256 of the bearer token
    created_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    acked_seq       bigint      NOT NULL DEFAULT 0, -- events 1..=acked_seq are held
    reported_head   bigint,                       -- the point's last seq, as it said
    last_contact_at timestamptz,
    last_event_at   timestamptz,
    flagged_seq     bigint,                       -- a changed event was offered here
    flagged_at      timestamptz
);
CREATE INDEX points_by_region ON points (region);

CREATE TABLE supervisors (
    name       text        PRIMARY KEY,
    region     text        NOT NULL,              -- '*' is every region
    token_hash text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

CREATE TABLE events (
    point_id    text        NOT NULL REFERENCES points (id),
    seq         bigint      NOT NULL,
    id          uuid        NOT NULL,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    kind        text        NOT NULL,
    version     integer     NOT NULL,
    payload     text        NOT NULL,             -- the JSON exactly as received
    hash        text        NOT NULL,             -- EventRecord::content_hash
    received_at timestamptz NOT NULL,
    PRIMARY KEY (point_id, seq)
);

-- A changed event offered under a known seq: kept for the investigation.
CREATE TABLE conflicts (
    point_id     text        NOT NULL,
    seq          bigint      NOT NULL,
    held_hash    text        NOT NULL,
    offered_hash text        NOT NULL,
    offered      text        NOT NULL,            -- the offered event's JSON
    at           timestamptz NOT NULL,
    -- a copy from SQLite (server migrate-to) can run twice
    UNIQUE (point_id, seq, offered_hash, at)
);

CREATE TABLE tickets (
    point_id     text        NOT NULL,
    id           uuid        NOT NULL,
    number       text        NOT NULL,
    service_date date        NOT NULL,
    category     text        NOT NULL,
    priority     text        NOT NULL,
    state        text        NOT NULL,
    desk         integer,
    taken_at     timestamptz NOT NULL,
    called_at    timestamptz,
    serving_at   timestamptz,
    finished_at  timestamptz,
    PRIMARY KEY (point_id, id)
);
CREATE INDEX tickets_by_day ON tickets (service_date, point_id, state);

CREATE TABLE appeals (
    point_id      text        NOT NULL,
    id            uuid        NOT NULL,
    number        text        NOT NULL,
    received_at   timestamptz NOT NULL,
    received_date date        NOT NULL,           -- local (Asia/Almaty) day
    kind          text        NOT NULL,
    channel       text        NOT NULL,
    category      text        NOT NULL,
    outcome       text        NOT NULL,
    redirected_to text,
    session_id    uuid,
    ticket_id     uuid,
    desk          integer,
    under_control boolean     NOT NULL DEFAULT false,
    deadline      date,
    closed_at     timestamptz,
    updated_at    timestamptz NOT NULL,
    recorded_by   text        NOT NULL,           -- the event's actor
    repeated      boolean     NOT NULL DEFAULT false, -- the citizen appealed here before
    iin_key       text,                           -- SHA-256 of point and IIN, not the IIN
    phone_key     text,                           -- SHA-256 of point and phone
    PRIMARY KEY (point_id, id)
);
CREATE INDEX appeals_by_day ON appeals (received_date, point_id);
CREATE INDEX appeals_by_received ON appeals (received_at);
CREATE INDEX appeals_by_iin_key ON appeals (point_id, iin_key) WHERE iin_key IS NOT NULL;
CREATE INDEX appeals_by_phone_key ON appeals (point_id, phone_key) WHERE phone_key IS NOT NULL;

-- Every change of an appeal's outcome or deadline, so the figures of a past
-- period count each appeal as it stood at the period's end (docs/REPORTS.md).
CREATE TABLE appeal_changes (
    point_id      text        NOT NULL,
    seq           bigint      NOT NULL,
    appeal_id     uuid        NOT NULL,
    at            timestamptz NOT NULL,
    outcome       text,                           -- set by a recording or an outcome change
    redirected_to text,
    deadline      date,                           -- a deadline set (control, extension)
    PRIMARY KEY (point_id, seq)
);
CREATE INDEX appeal_changes_by_appeal ON appeal_changes (point_id, appeal_id, seq);

CREATE TABLE sessions (
    point_id  text        NOT NULL,
    id        uuid        NOT NULL,
    kind      text        NOT NULL,
    date      date        NOT NULL,
    place     text        NOT NULL,
    opened_at timestamptz NOT NULL,
    closed_at timestamptz,
    PRIMARY KEY (point_id, id)
);
