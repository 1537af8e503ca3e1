-- 0005 checkins: why — daily check-ins in each client's own time zone (issue 5).
-- checkin_settings: when each client is prompted (wall-clock HH:MM in their zone, a
--   pause, and the next prompt instant in UTC, indexed, so the planner asks "who is due
--   now?" with one query and a restart simply catches up from here).
-- checkins: one row per client and local date (a second submission replaces the first,
--   keeping its id so staff "view" buttons stay valid). Answers live only here; they are
--   purged after retention.checkin_answers_days.
-- checkin_prompts: bookkeeping of the local days a client was (or should have been)
--   prompted: late prompts after a downtime, skipped days, and days the DM was
--   undeliverable (the 50007 ladder), which the missed-day and DM-closed rules read.

CREATE TABLE checkin_settings (
    user_id         INTEGER PRIMARY KEY,
    local_time      TEXT,                    -- HH:MM in the client's zone; NULL = program default
    planned_zone    TEXT NOT NULL,           -- the zone next_prompt_at was computed in
    paused_until    TEXT,                    -- local date YYYY-MM-DD prompts start again; NULL = not paused
    next_prompt_at  TEXT NOT NULL,           -- UTC instant of the next prompt
    updated_at      TEXT NOT NULL
);
CREATE INDEX checkin_settings_next ON checkin_settings (next_prompt_at);

CREATE TABLE checkins (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL,
    local_date      TEXT NOT NULL,           -- the client's local date, YYYY-MM-DD
    mood            INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 10),
    craving         INTEGER NOT NULL CHECK (craving BETWEEN 0 AND 10),
    used            TEXT NOT NULL CHECK (used IN ('yes', 'no', 'prefer_not')),
    sleep_hours     REAL NOT NULL CHECK (sleep_hours BETWEEN 0 AND 24),
    note            TEXT CHECK (note IS NULL OR length(note) <= 500),
    submitted_at    TEXT NOT NULL,           -- UTC instant of the latest submission
    created_at      TEXT NOT NULL,           -- UTC instant of the first submission that day
    replaced        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, local_date)
);
CREATE INDEX checkins_user_date ON checkins (user_id, local_date);

CREATE TABLE checkin_prompts (
    user_id         INTEGER NOT NULL,
    local_date      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'late', 'skipped')),
    planned_at      TEXT NOT NULL,           -- UTC instant the prompt was due
    queued_at       TEXT NOT NULL,           -- UTC instant the planner handled the day
    undeliverable   INTEGER NOT NULL DEFAULT 0,  -- 1 when the DM failed with 50007
    PRIMARY KEY (user_id, local_date)
);
