-- Attachments of a lead, stored in the database so that they commit, back up and scale out
-- with the case file. The client's file name is kept for display only.
CREATE TABLE lead_attachments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    storage_key   TEXT NOT NULL UNIQUE,
    lead_id       BIGINT NOT NULL REFERENCES leads(id),
    unit          TEXT NOT NULL,
    uploaded_by   BIGINT NOT NULL,
    at            BIGINT NOT NULL,
    display_name  TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    content       BLOB NOT NULL
);
CREATE INDEX lead_attachments_lead ON lead_attachments(lead_id);

-- One saved draft of the report form per user.
CREATE TABLE lead_drafts (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id),
    saved_at   BIGINT NOT NULL,
    body       TEXT NOT NULL
);
