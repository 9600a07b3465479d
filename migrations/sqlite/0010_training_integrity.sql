-- Issue 14: training that certifies something.
-- Per-attempt option tokens: JSON, parallel to option_orders (per drawn question, the opaque
-- token of each option in the order shown). The client sees only tokens; the server maps them
-- back to content ids. Attempts started before this migration have '[]' and keep their
-- content ids as tokens.
ALTER TABLE quiz_attempts ADD COLUMN option_tokens TEXT NOT NULL DEFAULT '[]';
-- The regulation version the course was written against when the certificate was issued
-- (course.toml's regulation_version), so a later version that changes a cited article makes
-- the certificate due for renewal. NULL for certificates issued before: the course's version.
ALTER TABLE certificates ADD COLUMN regulation_version TEXT;
