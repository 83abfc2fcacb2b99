-- The desks paused now (desk_paused until desk_resumed), with why and since
-- when. The report does not read this table: it counts paused time from
-- the events themselves, as the regional server does.
CREATE TABLE paused_desks (
    desk   INTEGER PRIMARY KEY,
    reason TEXT NOT NULL,                  -- break, paperwork, phone, technical
    since  TEXT NOT NULL                   -- RFC 3339, UTC
) STRICT;

-- the report reads pauses (and closings) from the log by kind and time
CREATE INDEX events_by_kind_at ON events (kind, at);
