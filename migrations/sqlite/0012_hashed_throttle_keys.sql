-- Throttle counters are now keyed by the SHA-256 of what they count (issue 16), so the table
-- holds no login or client address. Rows under the old plain keys would never be read again:
-- they go now (at worst a running lock ends early; locks last 15 minutes anyway).
DELETE FROM login_throttle;
-- Purging expired counters scans by time.
CREATE INDEX login_throttle_expiry ON login_throttle(locked_until, window_start);
