-- A citizen's own data (docs/ARCHITECTURE.md, "A citizen's own data"): the
-- personal parts of an appeal are sealed in the event log, and the keys
-- that open them are kept here, outside it. Deleting a key forgets what it
-- sealed in every copy of the log; the appeal stays, anonymous, in every
-- figure. Secure deletion (store::configure) zeroes a deleted key's bytes.

-- One key per citizen (a subject), found again by a keyed hash of the IIN
-- or phone: never the identifier itself. Deleted when the citizen is erased.
CREATE TABLE citizen_keys (
    subject    TEXT PRIMARY KEY,
    key        BLOB NOT NULL,
    iin_tag    BLOB,
    phone_tag  BLOB,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX citizen_keys_by_iin ON citizen_keys (iin_tag) WHERE iin_tag IS NOT NULL;
CREATE INDEX citizen_keys_by_phone ON citizen_keys (phone_tag) WHERE phone_tag IS NOT NULL;

-- One key per appeal's text, so a text can be forgotten with the citizen
-- or kept (anonymous) when the citizen asks only that they be forgotten.
CREATE TABLE text_keys (
    appeal_id TEXT PRIMARY KEY,
    key       BLOB NOT NULL
) STRICT;

-- The secret of the keyed hashes above; made by the program at first use.
CREATE TABLE personal_secret (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB NOT NULL
) STRICT;

-- The citizen of an appeal as a pseudonym (repeated appeals, history), and
-- when its citizen and its text were erased.
ALTER TABLE appeals ADD COLUMN subject TEXT;
ALTER TABLE appeals ADD COLUMN citizen_erased_at TEXT;
ALTER TABLE appeals ADD COLUMN text_erased_at TEXT;
-- why the citizen was erased: 'consent_withdrawn' or 'expired' (the report
-- counts them)
ALTER TABLE appeals ADD COLUMN citizen_erased_for TEXT;
CREATE INDEX appeals_by_subject ON appeals (subject) WHERE subject IS NOT NULL;

-- Who opened an appeal's card showing its citizen (a `personal_data_viewed`
-- event each): a supervisor lists them for a citizen.
CREATE TABLE personal_views (
    seq       INTEGER PRIMARY KEY REFERENCES events (seq),
    appeal_id TEXT    NOT NULL,
    at        TEXT    NOT NULL,
    actor     TEXT    NOT NULL
) STRICT;
CREATE INDEX personal_views_by_appeal ON personal_views (appeal_id);

-- A row deleted from the search index takes its terms out of the index at
-- once, instead of leaving them until a merge.
INSERT INTO appeal_search (appeal_search, rank) VALUES ('secure-delete', 1);
