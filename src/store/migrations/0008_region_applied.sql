-- The way back (docs/REGION.md): each decision of the region applied once.
-- Written in the transaction of the `from_region` event that applied it,
-- so the log and this table never disagree, also after a restore.
CREATE TABLE region_applied (
    rseq            INTEGER PRIMARY KEY,           -- the region's sequence for this point
    region_event_id TEXT    NOT NULL UNIQUE,
    seq             INTEGER NOT NULL UNIQUE        -- the point's event that applied it
) STRICT;

-- The region's staff by name, as their decisions arrived: the desk names
-- them ("в области: А. Садырбаева") without asking the server.
CREATE TABLE region_staff (
    login TEXT PRIMARY KEY,
    name  TEXT NOT NULL
) STRICT;

-- Who set an appeal's outcome last, as `appeal_state::Stamp` text: a change
-- from either side replaces it only with a higher stamp, so the point and
-- the region end with the same outcome whatever order changes arrive in.
ALTER TABLE appeals ADD COLUMN outcome_stamp TEXT;
