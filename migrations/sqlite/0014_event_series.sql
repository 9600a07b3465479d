-- Event series (Art. 12 regular exchanges, issue 19): a rule that makes its occurrences as
-- ordinary events. The series keeps what its calendar entry (one VEVENT with RRULE) shows;
-- each occurrence remembers the start the rule gave it (its RECURRENCE-ID), so a moved or
-- cancelled occurrence is an exception of the series.
CREATE TABLE event_series (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Stable iCalendar UID of the series' VEVENT.
    uid         TEXT NOT NULL UNIQUE,
    host_unit   TEXT NOT NULL REFERENCES units(code),
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    agenda      TEXT NOT NULL DEFAULT '',
    venue_text  TEXT NOT NULL,
    -- weekly | monthly_by_date | monthly_by_weekday | quarterly
    frequency   TEXT NOT NULL,
    interval_n  BIGINT NOT NULL DEFAULT 1,
    count_n     BIGINT,
    -- YYYY-MM-DD (Beijing), when the series ends by date.
    until_date  TEXT,
    first_start BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX event_series_host ON event_series(host_unit, first_start);

ALTER TABLE events ADD COLUMN series_id BIGINT REFERENCES event_series(id);
ALTER TABLE events ADD COLUMN original_start BIGINT;
CREATE INDEX events_series ON events(series_id, original_start);
