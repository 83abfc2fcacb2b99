-- The desk searches 100,000 appeals as the operator types, so short word
-- starts ("жы", "сәр") must be cheap: FTS5 keeps ready-made indexes of the
-- first 1, 2 and 3 letters of every word. The table is rebuilt with them;
-- what it holds (folded text, see store::search) is unchanged.
CREATE VIRTUAL TABLE appeal_search_prefixed USING fts5 (
    appeal_id UNINDEXED,
    body,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);
INSERT INTO appeal_search_prefixed (rowid, appeal_id, body)
    SELECT rowid, appeal_id, body FROM appeal_search;
DROP TABLE appeal_search;
ALTER TABLE appeal_search_prefixed RENAME TO appeal_search;
