-- The forwarder's state: how far the regional server has acknowledged the
-- event log, what happened last, and who is forwarding now. Local to this
-- machine (not an event): it describes the link, not the point's work.
CREATE TABLE sync_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    server_url       TEXT,
    acked_seq        INTEGER NOT NULL DEFAULT 0,   -- the server holds 1..=acked_seq
    last_attempt_at  TEXT,
    last_success_at  TEXT,
    last_error       TEXT,                          -- sanitised, one line
    last_error_at    TEXT,
    alarm            TEXT,                          -- for the supervisor: the server lost data, a conflict, ...
    alarm_at         TEXT,
    lease_holder     TEXT,                          -- the forwarder forwarding now
    lease_expires_at TEXT                           -- a killed holder's lease runs out
) STRICT;
INSERT INTO sync_state (id) VALUES (1);
