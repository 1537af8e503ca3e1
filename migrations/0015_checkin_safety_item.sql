-- 0015 checkin safety item: why — the daily check-in asks a yes/no safety question
-- (thoughts of ending one's life since the last check-in, issue 12 item 5), and a program
-- chooses which questions its form asks ([checkins] items), so sleep may go unasked.
-- SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt with the same
-- ids (staff "View check-in" buttons carry them) and the same index.
-- safety: 'yes' / 'no', NULL when the form did not ask it. sleep_hours: NULL when not asked.

CREATE TABLE checkins_new (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL,
    local_date      TEXT NOT NULL,           -- the client's local date, YYYY-MM-DD
    mood            INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 10),
    craving         INTEGER NOT NULL CHECK (craving BETWEEN 0 AND 10),
    used            TEXT NOT NULL CHECK (used IN ('yes', 'no', 'prefer_not')),
    sleep_hours     REAL CHECK (sleep_hours IS NULL OR sleep_hours BETWEEN 0 AND 24),
    note            TEXT CHECK (note IS NULL OR length(note) <= 500),
    safety          TEXT CHECK (safety IS NULL OR safety IN ('yes', 'no')),
    submitted_at    TEXT NOT NULL,           -- UTC instant of the latest submission
    created_at      TEXT NOT NULL,           -- UTC instant of the first submission that day
    replaced        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, local_date)
);

INSERT INTO checkins_new (id, user_id, local_date, mood, craving, used, sleep_hours, note,
                          submitted_at, created_at, replaced)
SELECT id, user_id, local_date, mood, craving, used, sleep_hours, note,
       submitted_at, created_at, replaced
FROM checkins;

DROP TABLE checkins;
ALTER TABLE checkins_new RENAME TO checkins;
CREATE INDEX checkins_user_date ON checkins (user_id, local_date);
