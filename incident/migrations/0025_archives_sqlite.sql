-- What was submitted stays submitted: each submission's document, as the
-- bytes handed in (the PDF and its Markdown source), with their SHA-256
-- and the history head they were rendered at. The order's record carries
-- the hashes (field "archived"), so archiving is in the history like any
-- change; the bytes are never changed or removed.
CREATE TABLE archives (
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    kind        TEXT    NOT NULL,
    format      TEXT    NOT NULL CHECK (format IN ('pdf', 'md')),
    bytes       BLOB    NOT NULL,
    sha256      TEXT    NOT NULL,
    head        TEXT    NOT NULL,
    archived_at TEXT    NOT NULL,
    PRIMARY KEY (order_id, kind, format)
) WITHOUT ROWID;
CREATE TRIGGER archives_no_update BEFORE UPDATE ON archives
BEGIN SELECT RAISE(ABORT, 'a submitted document is archived once, never changed'); END;
CREATE TRIGGER archives_no_delete BEFORE DELETE ON archives
BEGIN SELECT RAISE(ABORT, 'a submitted document is archived once, never removed'); END;
