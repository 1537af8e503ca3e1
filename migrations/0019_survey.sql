-- 0019 survey: why — issue #20 asks for a weekly (or monthly) recovery check: a structured
-- survey of use, risk and protective factors with trends staff can act on. The prompt
-- schedule and the handled periods live in the core prompt tables (0018,
-- bot/services/prompts.py, schedule 'survey'); these tables hold the answers.
-- survey_responses: one row per client and period (the client's local ISO week, 2026-W10,
--   or month, 2026-03). Steps can be answered at different times; the scores are set when
--   every question has an answer. Answers are clinical data: purged after
--   retention.survey_answers_days, exported and deleted with the client's data.
-- survey_answers: one row per question answered in a response (the option's index, its
--   label and points as shown when answered, so a later change of wording does not
--   rewrite history).

CREATE TABLE survey_responses (
    id                INTEGER PRIMARY KEY,
    user_id           INTEGER NOT NULL,
    period            TEXT NOT NULL,         -- 2026-W10 (weekly) or 2026-03 (monthly)
    first_day         TEXT NOT NULL,         -- the period's first local day, YYYY-MM-DD
    use_score         INTEGER,               -- NULL until every question is answered
    risk_score        INTEGER,
    protective_score  INTEGER,
    satisfaction      INTEGER,
    started_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    completed_at      TEXT,                  -- the first time every question had an answer
    replaced          INTEGER NOT NULL DEFAULT 0,  -- times a complete response was answered again
    UNIQUE (user_id, period)
);
CREATE INDEX survey_responses_user ON survey_responses (user_id, first_day);
CREATE INDEX survey_responses_first_day ON survey_responses (first_day);

CREATE TABLE survey_answers (
    response_id     INTEGER NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    item_key        TEXT NOT NULL,
    choice          INTEGER NOT NULL CHECK (choice BETWEEN 0 AND 9),
    label           TEXT NOT NULL,
    points          INTEGER NOT NULL,
    answered_at     TEXT NOT NULL,
    PRIMARY KEY (response_id, item_key)
);
