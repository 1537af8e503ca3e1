-- 0010 attendance_confirmed_index: why — the milestones planner counts every client's
-- confirmed sessions on each run (10/20/30 sessions milestones). Without this index that
-- is a scan of the whole attendance table (780k rows in the 5,000-client benchmark, about
-- 325 ms a run); with it, a walk of the confirmed rows' user ids only.

CREATE INDEX attendance_confirmed_by_user ON attendance (user_id) WHERE confirmed_at IS NOT NULL;
