-- 0004 safety: why — crisis safety must be able to show facilitators what happened
-- (a crisis path ran for a person, from which source, which alert and which private
-- reply it produced) and members must be able to report a message to a facilitator
-- once, anonymously to the reported member. These rows hold ids and a source kind only:
-- never the message content, the matched phrase or any excerpt.

CREATE TABLE crisis_events (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL,          -- the person whose words triggered the path
    source        TEXT NOT NULL,             -- e.g. group_message, report, checkin_note
    source_ref    INTEGER,                   -- a message or record id, never content
    alert_id      INTEGER,                   -- the urgent alert; NULL when de-duplicated
    dm_outbox_id  INTEGER,                   -- the private resources DM; NULL when de-duplicated
    created_at    TEXT NOT NULL
);
CREATE INDEX crisis_events_user ON crisis_events (user_id, created_at);

CREATE TABLE reports (
    id                INTEGER PRIMARY KEY,
    reporter_id       INTEGER NOT NULL,      -- never shown to the reported member
    reported_user_id  INTEGER NOT NULL,
    channel_id        INTEGER NOT NULL,
    message_id        INTEGER NOT NULL,
    crisis            INTEGER NOT NULL DEFAULT 0 CHECK (crisis IN (0, 1)),
    created_at        TEXT NOT NULL,
    UNIQUE (message_id, reporter_id)         -- one report per message per person
);
CREATE INDEX reports_reported ON reports (reported_user_id, created_at);
CREATE INDEX reports_reporter ON reports (reporter_id);
