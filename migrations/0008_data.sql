-- 0008 data: why — a record of each data-rights request (a client's own export or
-- deletion, a facilitator's export or discharge), so a deletion interrupted by a crash is
-- finished by the next purge run, a discharged client's records follow the retention
-- settings, and the program can show when each request was made and completed.
-- Ids, table names and counts only; never content. Kept like the audit trail.

CREATE TABLE data_requests (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL,           -- whose data
    kind         TEXT NOT NULL CHECK (kind IN ('export', 'delete', 'discharge')),
    requested_by INTEGER NOT NULL,           -- the person themselves, or a facilitator
    requested_at TEXT NOT NULL,
    completed_at TEXT,                       -- NULL while a deletion is still running
    removed      TEXT NOT NULL DEFAULT '{}', -- JSON {table: rows removed}
    kept         TEXT NOT NULL DEFAULT '[]'  -- JSON [table names kept, see docs/DATA.md]
);
CREATE INDEX data_requests_user ON data_requests (user_id, kind, requested_at);
CREATE INDEX data_requests_open ON data_requests (kind, completed_at);
