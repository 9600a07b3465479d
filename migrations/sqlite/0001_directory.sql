-- Key/value facts about the database itself; also a row every write transaction can touch
-- first so that SQLite takes the write lock before reading.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('schema', 'dazu-portal');

CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('municipal', 'district')),
    region      TEXT NOT NULL,
    parent_code TEXT REFERENCES units(code)
);
