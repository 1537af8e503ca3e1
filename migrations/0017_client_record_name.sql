-- 0017: the client's name as the program records it for clinical documents (42 CFR §2.31(a)(1):
-- a consent names the patient). Optional: when absent, consent screens use the display name
-- and say so.
ALTER TABLE clients ADD COLUMN record_name TEXT;
