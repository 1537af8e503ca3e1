-- 0014 security hardening (issue 22): a tamper-evident audit trail and accounting of
-- disclosures, and link codes keyed with the program key.
--
-- Both tables already refuse UPDATE. Now:
--   * each new row carries row_hash, a SHA-256 link to the row before it
--     (bot/db/repositories/ledger.py computes it; `iopbot verify-audit` and start-up check it);
--   * DELETE is refused unless a ledger_purges row covers the row: the retention purge
--     records what it removes (table, up to which id, how many, the chain value of the last
--     removed row) before deleting, and that record is itself append-only.
-- Rows written before this migration keep row_hash NULL; the first hashed row commits to them.

ALTER TABLE audit_log ADD COLUMN row_hash TEXT;
ALTER TABLE family_disclosures ADD COLUMN row_hash TEXT;

CREATE TABLE ledger_purges (
    id           INTEGER PRIMARY KEY,
    table_name   TEXT NOT NULL CHECK (table_name IN ('audit_log', 'family_disclosures')),
    up_to_id     INTEGER NOT NULL,       -- every row with id <= this was removed
    removed      INTEGER NOT NULL CHECK (removed > 0),
    anchor_hash  TEXT NOT NULL,          -- chain value of the last removed row
    cutoff       TEXT NOT NULL,          -- the retention cutoff the purge applied
    purged_at    TEXT NOT NULL
);
CREATE INDEX ledger_purges_table ON ledger_purges (table_name, id);

CREATE TRIGGER ledger_purges_no_update BEFORE UPDATE ON ledger_purges
BEGIN
    SELECT RAISE(ABORT, 'ledger_purges is append-only');
END;

CREATE TRIGGER ledger_purges_no_delete BEFORE DELETE ON ledger_purges
BEGIN
    SELECT RAISE(ABORT, 'ledger_purges is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (
    SELECT 1 FROM ledger_purges WHERE table_name = 'audit_log' AND up_to_id >= OLD.id
)
BEGIN
    SELECT RAISE(ABORT, 'audit_log rows are removed only by the recorded retention purge');
END;

CREATE TRIGGER family_disclosures_no_delete BEFORE DELETE ON family_disclosures
WHEN NOT EXISTS (
    SELECT 1 FROM ledger_purges WHERE table_name = 'family_disclosures' AND up_to_id >= OLD.id
)
BEGIN
    SELECT RAISE(ABORT, 'family_disclosures rows are removed only by the recorded retention purge');
END;

-- Link codes are now stored as HMAC(program key, code) (bot/keys.py), and the key lives
-- outside the database. Codes not yet used were stored as plain SHA-256, which no longer
-- matches: they expire now, so a family member who types one is told it has expired and
-- to ask the program for a new code (/family invite). The daily purge removes them.
UPDATE family_link_codes SET expires_at = created_at WHERE used_at IS NULL;
