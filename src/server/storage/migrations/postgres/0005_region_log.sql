-- The way back (docs/REGION.md): the same tables as the SQLite backend's
-- 0005_region_log.sql, with PostgreSQL's types.
CREATE TABLE region_events (
    point_id text        NOT NULL REFERENCES points (id),
    rseq     bigint      NOT NULL,
    id       uuid        NOT NULL UNIQUE,
    at       timestamptz NOT NULL,
    by_name  text,
    by_login text        NOT NULL,
    kind     text        NOT NULL,
    decision text        NOT NULL,
    PRIMARY KEY (point_id, rseq)
);

ALTER TABLE points ADD COLUMN region_acked bigint NOT NULL DEFAULT 0;

ALTER TABLE appeals ADD COLUMN outcome_stamp text;

CREATE TABLE staff (
    login          text        PRIMARY KEY,
    name           text        NOT NULL,
    role           text        NOT NULL,
    region         text        NOT NULL,
    pin_hash       text        NOT NULL,
    created_at     timestamptz NOT NULL,
    disabled_at    timestamptz,
    failed_pins    integer     NOT NULL DEFAULT 0,
    last_failed_at timestamptz
);

CREATE TABLE staff_attempts (
    login  text        NOT NULL,
    at     timestamptz NOT NULL,
    result text        NOT NULL
);
CREATE INDEX staff_attempts_by_login ON staff_attempts (login, at);
