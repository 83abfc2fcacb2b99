-- Printing (issue 15). A ticket or receipt whose print failed when it was
-- issued is flagged (the report counts unprinted tickets); each printer's
-- latest attempt is kept for the supervisor's board. Both are rebuilt from
-- the document_printed / print_failed events.
ALTER TABLE tickets ADD COLUMN print_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appeals ADD COLUMN receipt_print_failed INTEGER NOT NULL DEFAULT 0;

CREATE TABLE printers (
    printer     TEXT    PRIMARY KEY,   -- its address as configured
    at          TEXT    NOT NULL,      -- the latest attempt
    actor       TEXT    NOT NULL,      -- kiosk, staff:<login>
    ok          INTEGER NOT NULL,
    reason      TEXT,                  -- of the latest attempt, when it failed
    detail      TEXT,
    document    TEXT,                  -- the number that did not print
    last_ok_at  TEXT
) STRICT;
