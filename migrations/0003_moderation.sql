-- 0003 moderation: why — every facilitator moderation action must leave a record the
-- team can review (who did what to whom, when and why), the warned member's delivery
-- status must be visible, and facilitators need private notes on a member. A channel
-- lock changes several permission overwrites; what they were before is kept so unlock
-- restores exactly that. Rows hold ids, the action, a short facilitator-written reason
-- and durations: never the content of a member's message.

CREATE TABLE mod_cases (
    id                 INTEGER PRIMARY KEY,
    member_id          INTEGER,              -- the member acted on; NULL for channel actions
    actor_id           INTEGER NOT NULL,     -- the facilitator
    action             TEXT NOT NULL CHECK (action IN ('warn', 'timeout', 'untimeout', 'delete',
                                                       'lock', 'unlock', 'slowmode', 'note')),
    reason             TEXT CHECK (reason IS NULL OR length(reason) <= 500),
    duration_seconds   INTEGER CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    channel_id         INTEGER,
    message_id         INTEGER,              -- a deleted message's id, never its content
    delivery           TEXT CHECK (delivery IS NULL OR delivery IN
                                   ('queued', 'delivered', 'dm_closed', 'failed')),  -- warns
    warn_outbox_id     INTEGER,
    mod_log_outbox_id  INTEGER,
    mod_log_message_id INTEGER,
    created_at         TEXT NOT NULL
);
CREATE INDEX mod_cases_member ON mod_cases (member_id, created_at);
CREATE INDEX mod_cases_created ON mod_cases (created_at);

CREATE TABLE mod_notes (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL,
    author_id  INTEGER NOT NULL,
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),  -- private to facilitators
    case_id    INTEGER REFERENCES mod_cases (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX mod_notes_member ON mod_notes (member_id, created_at);

CREATE TABLE mod_lock_overwrites (
    channel_id  INTEGER NOT NULL,
    target_id   INTEGER NOT NULL,            -- a role or member id
    target_type TEXT NOT NULL CHECK (target_type IN ('role', 'member')),
    prior       TEXT NOT NULL CHECK (prior IN ('allow', 'deny', 'inherit')),
    case_id     INTEGER NOT NULL,            -- the lock case
    PRIMARY KEY (channel_id, target_id)
);
