-- 0012 safety_net: why — an urgent alert must reach a person at once and never be lost.
-- Urgent alerts page the on-call role when raised and again every few minutes until
-- someone acknowledges (paged_at, page_count); acknowledging records what happened
-- (outcome, outcome_by, outcome_at); a staff-channel post Discord refused or that ran out
-- of retries is recorded (alert_failures) so the status command can show it, and the
-- alert falls back to DMs. Crisis events keep the severity and category of the match and,
-- for DMs and group messages, the channel id so staff can open the message in one click.
-- Ids and short codes only: never message content or the matched words.

ALTER TABLE alerts ADD COLUMN paged_at TEXT;          -- last page of the on-call role
ALTER TABLE alerts ADD COLUMN page_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN outcome TEXT;           -- reached | safe | referred | emergency | no_contact
ALTER TABLE alerts ADD COLUMN outcome_by INTEGER;
ALTER TABLE alerts ADD COLUMN outcome_at TEXT;
CREATE INDEX alerts_paging ON alerts (severity, acknowledged_at);

ALTER TABLE crisis_events ADD COLUMN severity TEXT;   -- urgent | concern
ALTER TABLE crisis_events ADD COLUMN category TEXT;   -- e.g. overdose_intent
ALTER TABLE crisis_events ADD COLUMN channel_id INTEGER;  -- where source_ref (a message) is
CREATE INDEX crisis_events_alert ON crisis_events (alert_id);

CREATE TABLE alert_failures (
    id              INTEGER PRIMARY KEY,
    alert_id        INTEGER,                 -- NULL when the row carried no alert id
    subject_user_id INTEGER,                 -- the client the alert is about
    outbox_id       INTEGER NOT NULL,        -- the staff-channel post that failed
    kind            TEXT NOT NULL,           -- alert | alert_escalation | alert_repage
    error_code      INTEGER,                 -- Discord's code (e.g. 50013), or NULL
    fallback_dms    INTEGER NOT NULL DEFAULT 0,  -- DMs queued to on-call members/facilitators
    created_at      TEXT NOT NULL
);
CREATE INDEX alert_failures_at ON alert_failures (created_at);
CREATE INDEX alert_failures_subject ON alert_failures (subject_user_id);
