-- 0018 prompt schedules: why — recurring per-client prompts became one service
-- (bot/services/prompts.py, issue 19 item 1) so the weekly survey and later reminders do
-- not copy the check-in planner. The check-in tables it used move into two generic ones:
-- prompt_schedules: one row per client and schedule ('checkin', 'survey', ...): the client's
--   own wall time and day (NULL = the schedule's default), a pause, and the next prompt
--   instant in UTC with the zone it was computed in (copied from checkin_settings).
-- prompt_periods: the periods (a local day, an ISO week or a month) a schedule handled for a
--   client: queued, late or skipped, and whether the DM was undeliverable (copied from
--   checkin_prompts; the check-in outbox row is linked back by its dedupe key).

CREATE TABLE prompt_schedules (
    user_id         INTEGER NOT NULL,
    schedule        TEXT NOT NULL,           -- the registered schedule's name
    local_time      TEXT,                    -- HH:MM in the client's zone; NULL = schedule default
    day             INTEGER,                 -- weekday 0-6 / day of month 1-31; NULL = default
    planned_zone    TEXT NOT NULL,           -- the zone next_at was computed in
    paused_until    TEXT,                    -- local date YYYY-MM-DD prompts start again; NULL = not paused
    next_at         TEXT NOT NULL,           -- UTC instant of the next prompt
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, schedule)
);
CREATE INDEX prompt_schedules_due ON prompt_schedules (schedule, next_at);

CREATE TABLE prompt_periods (
    user_id         INTEGER NOT NULL,
    schedule        TEXT NOT NULL,
    period          TEXT NOT NULL,           -- YYYY-MM-DD, YYYY-Www or YYYY-MM
    local_date      TEXT NOT NULL,           -- the local date the prompt was planned for
    status          TEXT NOT NULL CHECK (status IN ('queued', 'late', 'skipped')),
    planned_at      TEXT NOT NULL,           -- UTC instant the prompt was due
    queued_at       TEXT NOT NULL,           -- UTC instant the service handled the period
    undeliverable   INTEGER NOT NULL DEFAULT 0,  -- 1 when the DM failed with 50007
    outbox_id       INTEGER,                 -- the queued notice, if one was queued
    PRIMARY KEY (user_id, schedule, period)
);
CREATE INDEX prompt_periods_date ON prompt_periods (schedule, local_date);
CREATE INDEX prompt_periods_outbox ON prompt_periods (outbox_id);

INSERT INTO prompt_schedules
    (user_id, schedule, local_time, day, planned_zone, paused_until, next_at, updated_at)
SELECT user_id, 'checkin', local_time, NULL, planned_zone, paused_until, next_prompt_at, updated_at
FROM checkin_settings;

INSERT INTO prompt_periods
    (user_id, schedule, period, local_date, status, planned_at, queued_at, undeliverable,
     outbox_id)
SELECT p.user_id, 'checkin', p.local_date, p.local_date, p.status, p.planned_at, p.queued_at,
       p.undeliverable,
       (SELECT o.id FROM outbox o
        WHERE o.dedupe_key = 'checkin:' || p.user_id || ':' || p.local_date)
FROM checkin_prompts p;

DROP TABLE checkin_settings;
DROP TABLE checkin_prompts;
