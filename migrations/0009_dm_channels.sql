-- 0009 dm_channels: why — a user's DM channel with the bot never changes, and opening it
-- (POST /users/@me/channels) is a route Discord rate-limits on its own. discord.py keeps
-- only 128 DM channels in memory, so without this a restart (or more than 128 clients)
-- made every daily prompt open the channel again: ~1 prompt per second for 1,000 clients.
-- Remembering the id lets the dispatcher send at the global rate from the first minute.

CREATE TABLE dm_channels (
    user_id    INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
