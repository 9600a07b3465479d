-- Leads of improper contact (Articles 6-8, 13) and their case files.
CREATE TABLE lead_counters (
    year BIGINT PRIMARY KEY,
    next BIGINT NOT NULL
);

CREATE TABLE leads (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    reference        TEXT NOT NULL UNIQUE,
    discoverer_unit  TEXT NOT NULL REFERENCES units(code),
    created_by       BIGINT NOT NULL REFERENCES users(id),
    created_at       BIGINT NOT NULL,
    status           TEXT NOT NULL,
    rule             TEXT NOT NULL,
    manual           BIGINT NOT NULL,
    routing_reason   TEXT NOT NULL,
    route            TEXT,
    subject_type     TEXT NOT NULL,
    subject_name     TEXT NOT NULL,
    subject_org      TEXT,
    subject_duty     TEXT,
    subject_licence  TEXT,
    subject_firm     TEXT,
    subject_region   TEXT,
    occurred_on      TEXT,
    place            TEXT,
    conduct_kind     TEXT,
    summary          TEXT NOT NULL,
    details          TEXT NOT NULL,
    warnings         TEXT NOT NULL,
    closed_at        BIGINT
);
CREATE INDEX leads_discoverer ON leads(discoverer_unit, created_at);
CREATE INDEX leads_status ON leads(status);
CREATE INDEX leads_subject_licence ON leads(subject_licence);
CREATE INDEX leads_subject_name ON leads(subject_name, subject_org);

-- Each hand-over: who sent it to whom, when it was sent and acknowledged (签收).
CREATE TABLE lead_steps (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id          BIGINT NOT NULL REFERENCES leads(id),
    hop              BIGINT NOT NULL,
    sender_unit      TEXT NOT NULL,
    receiver_unit    TEXT NOT NULL,
    sent_at          BIGINT NOT NULL,
    acknowledged_at  BIGINT,
    acknowledged_by  BIGINT,
    passed_on_at     BIGINT,
    UNIQUE (lead_id, hop)
);
CREATE INDEX lead_steps_receiver ON lead_steps(receiver_unit, lead_id);

-- Findings, outcomes, feedback, messages, reopenings, manual routing: the case file entries.
CREATE TABLE lead_entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id     BIGINT NOT NULL REFERENCES leads(id),
    kind        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    author_id   BIGINT NOT NULL,
    author_name TEXT NOT NULL,
    at          BIGINT NOT NULL,
    body        TEXT NOT NULL,
    outcomes    TEXT
);
CREATE INDEX lead_entries_lead ON lead_entries(lead_id, at);
