-- 0006 milestones: why — celebrate sobriety and program milestones once each, privately by
-- default (shared/DOMAIN.md "Milestones"). The client's own sobriety record lives here
-- with its history: a reported use never erases anything; cumulative sober days and the
-- longest streak are banked, and the counter restarts only when the client chooses.
-- Each milestone is a row recorded once (UNIQUE), so restarts and catch-up never
-- celebrate twice; peers' congratulations are collected per milestone, one per peer.

-- One row per client who set a sobriety date or chose public celebrations.
CREATE TABLE sobriety_records (
    user_id             INTEGER PRIMARY KEY,
    streak_start        TEXT,                  -- local date YYYY-MM-DD; NULL: no date set
    streak_number       INTEGER NOT NULL DEFAULT 1,   -- +1 each time the client restarts
    longest_streak_days INTEGER NOT NULL DEFAULT 0,   -- longest *earlier* streak
    banked_days         INTEGER NOT NULL DEFAULT 0,   -- sober days of earlier streaks
    public              INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),  -- opt-in
    counting_since      TEXT,                  -- when this date was set: earlier milestones
                                               -- are recorded, not announced
    updated_at          TEXT NOT NULL
);

-- The client's /sobriety reset history (no reason text is asked for or stored).
CREATE TABLE sobriety_resets (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    on_date     TEXT NOT NULL,                 -- the client's local date
    restarted   INTEGER NOT NULL CHECK (restarted IN (0, 1)),
    streak_days INTEGER NOT NULL,              -- the streak's length at that moment
    at          TEXT NOT NULL
);
CREATE INDEX sobriety_resets_user ON sobriety_resets (user_id, at);

CREATE TABLE milestones (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL,
    scheme           TEXT NOT NULL CHECK (scheme IN ('sobriety', 'program')),
    kind             TEXT NOT NULL
                     CHECK (kind IN ('days', 'years', 'weeks', 'sessions', 'stepdown',
                                     'completion')),
    n                INTEGER NOT NULL,
    streak           INTEGER NOT NULL DEFAULT 0,   -- sobriety: the streak number; program: 0
    due_date         TEXT NOT NULL,                -- the client's local date
    due_at           TEXT NOT NULL,                -- UTC: celebration_time on due_date
    status           TEXT NOT NULL DEFAULT 'due'
                     CHECK (status IN ('due', 'celebrated', 'recorded_stale')),
    celebrated_at    TEXT,
    late             INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    public           INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),  -- cohort post queued
    congrats_due_at  TEXT,                         -- end of the client's day (public only)
    congrats_sent_at TEXT,
    created_at       TEXT NOT NULL,
    -- The streak is part of the key: after a chosen restart, 30 days is worth celebrating
    -- again; a corrected date within the same streak never celebrates twice.
    UNIQUE (user_id, scheme, kind, n, streak)
);
CREATE INDEX milestones_due ON milestones (status, due_at);
CREATE INDEX milestones_congrats ON milestones (congrats_sent_at, congrats_due_at);

CREATE TABLE milestone_congrats (
    id           INTEGER PRIMARY KEY,
    milestone_id INTEGER NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    from_user_id INTEGER NOT NULL,
    at           TEXT NOT NULL,
    UNIQUE (milestone_id, from_user_id)
);
CREATE INDEX milestone_congrats_from ON milestone_congrats (from_user_id);
