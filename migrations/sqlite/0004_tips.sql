-- Public tips: anyone may report without an account. Only the SHA-256 of the receipt is
-- stored, and no client address.
CREATE TABLE tips (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    receipt_hash TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL,
    lead_id      BIGINT REFERENCES leads(id)
);
CREATE INDEX tips_status ON tips(status, created_at);

CREATE TABLE tip_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tip_id      BIGINT NOT NULL REFERENCES tips(id),
    from_office BIGINT NOT NULL,
    author_name TEXT NOT NULL,
    at          BIGINT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX tip_messages_tip ON tip_messages(tip_id, at);
