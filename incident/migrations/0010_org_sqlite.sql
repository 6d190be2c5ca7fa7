-- Who submits: the organisation's profile (one row), and the document
-- number each submission was given.
CREATE TABLE org (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    name           TEXT NOT NULL DEFAULT '',
    representative TEXT NOT NULL DEFAULT '',
    department     TEXT NOT NULL DEFAULT '',
    person         TEXT NOT NULL DEFAULT '',
    contact        TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    doc_prefix     TEXT NOT NULL DEFAULT '',
    marking        TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL
);
ALTER TABLE submissions ADD COLUMN doc_number TEXT NOT NULL DEFAULT '';
