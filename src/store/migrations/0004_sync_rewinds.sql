-- How many times the forwarder had to take its cursor back because the
-- server held less than it had acknowledged (a gap answer, or a cursor
-- behind ours at the start). Every rewind also raises the alarm; the count
-- stays when a person clears the alarm, so a proof (and a supervisor) can
-- tell that acknowledged events were ever missing.
ALTER TABLE sync_state ADD COLUMN rewinds INTEGER NOT NULL DEFAULT 0;
