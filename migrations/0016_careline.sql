-- 0016 careline: why — issue #13 asks for a private line from a client to the care team:
-- what a client DMs the bot is relayed to a staff-only thread (one per client), staff
-- answer from the thread and the answer reaches the client by DM. The words are clinical
-- data (like check-in notes): kept retention.careline_days, exported and deleted with the
-- client's data. A conversation opens with a client's first message (or a staff reply)
-- and ends with /careline close; a new message opens the next one in the same thread.

CREATE TABLE careline_threads (
    client_id   INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL,            -- the staff-only care-line channel
    thread_id   INTEGER NOT NULL UNIQUE,     -- the client's thread in it
    created_at  TEXT NOT NULL
);

CREATE TABLE careline_conversations (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL,
    opened_at   TEXT NOT NULL,
    opened_by   INTEGER NOT NULL,            -- the client, or the facilitator who wrote first
    closed_at   TEXT,
    closed_by   INTEGER
);

-- At most one open conversation per client.
CREATE UNIQUE INDEX careline_one_open ON careline_conversations (client_id)
    WHERE closed_at IS NULL;

CREATE TABLE careline_messages (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER REFERENCES careline_conversations (id) ON DELETE CASCADE,  -- NULL: a note between conversations
    client_id        INTEGER NOT NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('in', 'out', 'note')),
    author_id        INTEGER NOT NULL,
    text             TEXT NOT NULL,
    attachments      TEXT NOT NULL DEFAULT '[]',  -- JSON list of {name, type, size, url}
    discord_message_id INTEGER,                    -- the message it came from (DM or thread)
    created_at       TEXT NOT NULL
);

CREATE INDEX careline_messages_client ON careline_messages (client_id, created_at);
CREATE INDEX careline_messages_created ON careline_messages (created_at);
