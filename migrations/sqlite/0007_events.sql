-- Exchange events (Art. 12): official venues, events with their open-to units and co-hosting
-- associations, registrations with the waitlist and attendance, in-app notifications and
-- private calendar feeds.
CREATE TABLE venues (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    official   BIGINT NOT NULL DEFAULT 1,
    active     BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE events (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Stable iCalendar UID; SEQUENCE grows with each change of a published event.
    uid                   TEXT NOT NULL UNIQUE,
    sequence              BIGINT NOT NULL DEFAULT 0,
    host_unit             TEXT NOT NULL REFERENCES units(code),
    title                 TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    agenda                TEXT NOT NULL DEFAULT '',
    venue_id              BIGINT REFERENCES venues(id),
    venue_text            TEXT NOT NULL,
    starts_at             BIGINT NOT NULL,
    ends_at               BIGINT NOT NULL,
    capacity              BIGINT NOT NULL,
    registration_deadline BIGINT NOT NULL,
    status                TEXT NOT NULL DEFAULT 'draft',
    -- Compliance flags as last computed, comma-separated codes.
    flags                 TEXT NOT NULL DEFAULT '',
    approval_by           TEXT,
    approval_ref          TEXT,
    approval_date         TEXT,
    cancel_reason         TEXT,
    summary               TEXT,
    checkin_code          TEXT NOT NULL,
    created_by            BIGINT NOT NULL REFERENCES users(id),
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    published_at          BIGINT
);
CREATE INDEX events_status_start ON events(status, starts_at);
CREATE INDEX events_host ON events(host_unit, starts_at);
CREATE INDEX events_venue ON events(venue_text, starts_at);

-- Units whose members may register.
CREATE TABLE event_units (
    event_id  BIGINT NOT NULL REFERENCES events(id),
    unit_code TEXT NOT NULL REFERENCES units(code),
    PRIMARY KEY (event_id, unit_code)
);

-- Co-hosting associations: invited, then accepted or declined by their coordinator.
CREATE TABLE event_cohosts (
    event_id     BIGINT NOT NULL REFERENCES events(id),
    unit_code    TEXT NOT NULL REFERENCES units(code),
    status       TEXT NOT NULL DEFAULT 'pending',
    invited_at   BIGINT NOT NULL,
    reminded_at  BIGINT,
    responded_at BIGINT,
    responded_by BIGINT REFERENCES users(id),
    PRIMARY KEY (event_id, unit_code)
);

-- One row per member and event; a cancelled registration that registers again goes to the end
-- of the queue (queued_at). Waitlist order is (queued_at, id).
CREATE TABLE event_registrations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      BIGINT NOT NULL REFERENCES events(id),
    user_id       BIGINT NOT NULL REFERENCES users(id),
    status        TEXT NOT NULL,
    queued_at     BIGINT NOT NULL,
    has_case      BIGINT NOT NULL DEFAULT 0,
    case_note     TEXT,
    attended      BIGINT NOT NULL DEFAULT 0,
    checked_in_at BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (event_id, user_id)
);
CREATE INDEX event_registrations_event ON event_registrations(event_id, status, queued_at);
CREATE INDEX event_registrations_user ON event_registrations(user_id, status);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,
    event_id   BIGINT REFERENCES events(id),
    text_zh    TEXT NOT NULL,
    text_en    TEXT NOT NULL,
    link       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, id);

-- Private calendar feeds: only the SHA-256 of the token is kept; a new token revokes the old.
CREATE TABLE calendar_feeds (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
