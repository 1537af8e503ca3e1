-- 0007 family: why — family-therapy session notices under 42 CFR Part 2 (issue 7).
-- family_contacts: a family member a facilitator registered for a client; linked to a
--   Discord account only through a single-use code (never by username).
-- family_link_codes: only the SHA-256 of each code is stored; single use, expiring.
-- family_link_failures: wrong/reused/expired code attempts, for the hourly rate limit.
-- family_consents: the client's written consent with every §2.31 element as a column;
--   CHECK constraints refuse an incomplete record. Checked again when each notice is sent.
-- family_sessions / family_responses: the sessions and the Confirm / Can't make it answers.
-- family_disclosures: the accounting of disclosures (one row per notice sent to a family
--   member). APPEND-ONLY (a trigger refuses UPDATE); no foreign keys so a client's data
--   deletion never removes it; kept retention.disclosures_days (at least 6 years).
-- All instants are ISO-8601 UTC text; dates are YYYY-MM-DD.

CREATE TABLE family_contacts (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL,
    name          TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
    relationship  TEXT NOT NULL CHECK (length(trim(relationship)) BETWEEN 1 AND 40),
    user_id       INTEGER,                   -- the linked Discord account; NULL until linked
    linked_at     TEXT,
    status        TEXT NOT NULL DEFAULT 'invited'
                  CHECK (status IN ('invited', 'linked', 'removed')),
    created_by    INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    CHECK ((user_id IS NULL) = (linked_at IS NULL)),
    CHECK (status <> 'linked' OR user_id IS NOT NULL)
);
CREATE INDEX family_contacts_client ON family_contacts (client_id);
CREATE INDEX family_contacts_user ON family_contacts (user_id);

CREATE TABLE family_link_codes (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES family_contacts (id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL UNIQUE CHECK (length(code_hash) = 64),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    used_by     INTEGER,
    CHECK ((used_at IS NULL) = (used_by IS NULL))
);

CREATE TABLE family_link_failures (
    id       INTEGER PRIMARY KEY,
    user_id  INTEGER NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX family_link_failures_user ON family_link_failures (user_id, at);

CREATE TABLE family_consents (
    id                    INTEGER PRIMARY KEY,
    client_id             INTEGER NOT NULL,
    discloser             TEXT NOT NULL CHECK (length(trim(discloser)) > 0),   -- the program
    category              TEXT NOT NULL CHECK (category = 'family_session_logistics'),
    what                  TEXT NOT NULL CHECK (length(trim(what)) > 0),
    recipient_contact_id  INTEGER NOT NULL REFERENCES family_contacts (id) ON DELETE CASCADE,
    recipient_name        TEXT NOT NULL CHECK (length(trim(recipient_name)) > 0),
    purpose               TEXT NOT NULL CHECK (length(trim(purpose)) > 0),
    expires_on            TEXT,              -- last local day in force (program zone)
    expiry_event          TEXT CHECK (expiry_event IS NULL OR expiry_event = 'program_end'),
    revocation            TEXT NOT NULL CHECK (length(trim(revocation)) > 0),
    client_confirmed_at   TEXT NOT NULL CHECK (length(client_confirmed_at) > 0),
    granted_at            TEXT NOT NULL,
    revoked_at            TEXT,
    revoked_by            INTEGER,
    CHECK (expires_on IS NOT NULL OR expiry_event IS NOT NULL),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX family_consents_contact ON family_consents (recipient_contact_id, revoked_at);
CREATE INDEX family_consents_client ON family_consents (client_id);

CREATE TABLE family_sessions (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL,
    facilitator_id    INTEGER NOT NULL,
    facilitator_name  TEXT NOT NULL,
    starts_at         TEXT NOT NULL,         -- UTC, from the program-zone wall time
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 15 AND 240),
    place             TEXT NOT NULL CHECK (length(trim(place)) BETWEEN 1 AND 200),
    status            TEXT NOT NULL DEFAULT 'scheduled'
                      CHECK (status IN ('scheduled', 'rescheduled', 'cancelled')),
    version           INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX family_sessions_client ON family_sessions (client_id, starts_at);
CREATE INDEX family_sessions_upcoming ON family_sessions (status, starts_at);

CREATE TABLE family_responses (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES family_sessions (id) ON DELETE CASCADE,
    responder_id  INTEGER NOT NULL,
    answer        TEXT NOT NULL CHECK (answer IN ('confirm', 'cant')),
    at            TEXT NOT NULL,
    UNIQUE (session_id, responder_id)
);
CREATE INDEX family_responses_responder ON family_responses (responder_id);

CREATE TABLE family_disclosures (
    id                    INTEGER PRIMARY KEY,
    disclosed_at          TEXT NOT NULL,
    client_id             INTEGER NOT NULL,
    recipient_contact_id  INTEGER NOT NULL,
    recipient_user_id     INTEGER NOT NULL,
    recipient_name        TEXT NOT NULL,
    category              TEXT NOT NULL,
    purpose               TEXT NOT NULL,
    consent_id            INTEGER NOT NULL,
    sender                TEXT NOT NULL,     -- the program, via iopbot
    outbox_id             INTEGER NOT NULL UNIQUE,
    session_id            INTEGER NOT NULL,
    stage                 TEXT NOT NULL
);
CREATE INDEX family_disclosures_client ON family_disclosures (client_id, disclosed_at);
CREATE INDEX family_disclosures_at ON family_disclosures (disclosed_at);

CREATE TRIGGER family_disclosures_append_only BEFORE UPDATE ON family_disclosures
BEGIN
    SELECT RAISE(ABORT, 'family_disclosures is append-only');
END;
