-- 0001 core: why — the tables every feature shares: program metadata, enrolled clients,
-- the outbox (every outbound notice, see DESIGN.md "The spine"), facilitator alerts,
-- and the append-only audit trail of facilitator actions on client data.
-- All instants are ISO-8601 UTC text ("2026-01-31T14:00:00.000000+00:00"), so they sort.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE clients (
    user_id       INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    display_name  TEXT NOT NULL,
    timezone      TEXT NOT NULL,
    program_start TEXT NOT NULL,             -- local date YYYY-MM-DD
    status        TEXT NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'stepped_down', 'completed', 'discharged')),
    enrolled_by   INTEGER NOT NULL,
    enrolled_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    dedupe_key      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    target_type     TEXT NOT NULL CHECK (target_type IN ('dm', 'channel')),
    target_id       INTEGER NOT NULL,
    subject_user_id INTEGER,                 -- the client this notice concerns, if any
    payload         TEXT NOT NULL,           -- JSON: content, embeds, components, mentions
    due_at          TEXT NOT NULL,
    expires_at      TEXT,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'undeliverable',
                                      'blocked_consent', 'expired', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    claimed_at      TEXT,
    error_code      INTEGER,
    error           TEXT,                    -- a short reason, never message content
    message_id      INTEGER,
    sent_at         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX outbox_pending ON outbox (status, due_at);
CREATE INDEX outbox_subject ON outbox (subject_user_id, kind);

CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    subject_user_id INTEGER NOT NULL,
    rule            TEXT NOT NULL,           -- e.g. craving_high, crisis_language
    label           TEXT NOT NULL,           -- the rule in words, e.g. "High craving"
    severity        TEXT NOT NULL CHECK (severity IN ('normal', 'high', 'urgent')),
    source          TEXT NOT NULL,           -- which feature raised it
    created_at      TEXT NOT NULL,
    acknowledged_by INTEGER,
    acknowledged_at TEXT,
    escalated_at    TEXT
);
CREATE INDEX alerts_subject_rule ON alerts (subject_user_id, rule, created_at);
CREATE INDEX alerts_open ON alerts (acknowledged_at, escalated_at);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor_id        INTEGER NOT NULL,
    action          TEXT NOT NULL,           -- e.g. client.enroll, checkin.view
    subject_user_id INTEGER,
    detail          TEXT NOT NULL DEFAULT '{}'  -- JSON of ids and field names, never content
);
CREATE INDEX audit_subject ON audit_log (subject_user_id, at);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
