-- 0011 safetyplan: why — issue #12 asks for a personal safety plan (the six parts of the
-- Stanley-Brown plan) that a client writes in their own words, sees privately, and that
-- facilitators can read (audit-logged). One row per person, one column per part; each step
-- of the two-step form saves its own three columns as it is submitted, so nothing typed is
-- lost between steps. The text is clinical data: it is kept like check-in answers
-- (retention.safety_plan_days after the last change) and removed by a member's deletion.

CREATE TABLE safety_plans (
    user_id       INTEGER PRIMARY KEY,
    warning_signs TEXT,
    coping        TEXT,
    distraction   TEXT,
    support       TEXT,
    professionals TEXT,
    environment   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE INDEX safety_plans_updated_at ON safety_plans (updated_at);
