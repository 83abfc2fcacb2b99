-- Reports read desks' pauses from the events themselves (they change no
-- table of the server's): by kind and time, not by a scan of the log.
CREATE INDEX events_by_kind_at ON events (kind, at);
