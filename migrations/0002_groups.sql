-- 0002 groups: why — peer-group cohorts need their own private channel and a recorded
-- membership history (a client belongs to one cohort at a time; moving ends the old row
-- instead of rewriting it), proof that each member accepted the group agreement (which
-- version, when), weekly session templates kept as local wall-clock times in the program
-- timezone (so 18:00 stays 18:00 across DST), the concrete occurrences the planner turns
-- them into (with the Discord scheduled-event id so it never creates a duplicate, and the
-- reminder/start/end marks so each notice is queued once), attendance (self-reported
-- "I'm here" and facilitator confirmation), and the hours ledger derived from confirmed
-- attendance (one row per client and occurrence, keyed to the ISO week of the session's
-- local date). All instants are ISO-8601 UTC text; local dates are YYYY-MM-DD.

CREATE TABLE cohorts (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
    channel_id  INTEGER NOT NULL UNIQUE,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE cohort_members (
    id          INTEGER PRIMARY KEY,
    cohort_id   INTEGER NOT NULL REFERENCES cohorts (id),
    user_id     INTEGER NOT NULL,
    joined_at   TEXT NOT NULL,
    added_by    INTEGER NOT NULL,
    left_at     TEXT,
    removed_by  INTEGER,
    left_reason TEXT CHECK (left_reason IN ('moved', 'removed', 'discharged'))
);
-- one current cohort per client; ended rows are the history
CREATE UNIQUE INDEX cohort_members_current ON cohort_members (user_id) WHERE left_at IS NULL;
CREATE INDEX cohort_members_cohort ON cohort_members (cohort_id, left_at);

CREATE TABLE agreement_acceptances (
    id                INTEGER PRIMARY KEY,
    cohort_id         INTEGER NOT NULL REFERENCES cohorts (id),
    user_id           INTEGER NOT NULL,
    agreement_version TEXT NOT NULL,      -- short sha256 of the agreement text shown
    accepted_at       TEXT NOT NULL,
    UNIQUE (cohort_id, user_id, agreement_version)
);

CREATE TABLE session_templates (
    id               INTEGER PRIMARY KEY,
    cohort_id        INTEGER NOT NULL REFERENCES cohorts (id),
    weekday          INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),   -- Monday = 0
    start_local      TEXT NOT NULL,       -- HH:MM in the program timezone
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    created_by       INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    ended_at         TEXT
);
CREATE INDEX session_templates_cohort ON session_templates (cohort_id, ended_at);

CREATE TABLE session_occurrences (
    id               INTEGER PRIMARY KEY,
    template_id      INTEGER NOT NULL REFERENCES session_templates (id),
    cohort_id        INTEGER NOT NULL REFERENCES cohorts (id),
    planned_date     TEXT NOT NULL,       -- the template's local date (identity, never changes)
    local_date       TEXT NOT NULL,       -- the local date it happens on (after a move)
    starts_at        TEXT NOT NULL,
    ends_at          TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'scheduled'
                     CHECK (status IN ('scheduled', 'cancelled', 'moved')),
    event_id         INTEGER,             -- the Discord scheduled event, once created
    event_synced     INTEGER NOT NULL DEFAULT 0,   -- 0: the event must be created/edited/removed
    reminder_at      TEXT,                -- when the reminder was queued
    start_marked_at  TEXT,
    end_marked_at    TEXT,
    changed_by       INTEGER,
    changed_at       TEXT,
    created_at       TEXT NOT NULL,
    UNIQUE (template_id, planned_date)
);
CREATE INDEX session_occurrences_cohort ON session_occurrences (cohort_id, local_date);
CREATE INDEX session_occurrences_time ON session_occurrences (starts_at);

CREATE TABLE attendance (
    occurrence_id   INTEGER NOT NULL REFERENCES session_occurrences (id),
    user_id         INTEGER NOT NULL,
    here_at         TEXT,                 -- the client pressed "I'm here"
    confirmed_by    INTEGER,
    confirmed_at    TEXT,                 -- facilitator-confirmed (counts for hours)
    removed_by      INTEGER,
    removed_at      TEXT,                 -- facilitator marked not attending
    PRIMARY KEY (occurrence_id, user_id)
);
CREATE INDEX attendance_user ON attendance (user_id);

CREATE TABLE hours_ledger (
    occurrence_id INTEGER NOT NULL REFERENCES session_occurrences (id),
    user_id       INTEGER NOT NULL,
    local_date    TEXT NOT NULL,          -- the session's date in the program timezone
    iso_week      TEXT NOT NULL,          -- e.g. 2026-W09
    hours         REAL NOT NULL CHECK (hours > 0),
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (occurrence_id, user_id)
);
CREATE INDEX hours_ledger_user_week ON hours_ledger (user_id, iso_week);
