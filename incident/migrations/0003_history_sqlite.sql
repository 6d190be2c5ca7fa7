-- The record as evidence.
--
-- history: every change, appended in the transaction that made it, never
-- edited or deleted (the triggers refuse both). Each row's hash is the
-- SHA-256 of its canonical content and the previous row's hash, so a row
-- changed, removed or inserted out of turn breaks the chain. A record's
-- creation is one row whose field is '*' and whose new value is the whole
-- record as JSON; later rows carry one field each, old and new.
CREATE TABLE history (
    seq         INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,           -- the store's clock, UTC
    author      TEXT    NOT NULL,
    entity      TEXT    NOT NULL CHECK (entity IN ('incident','event','action','order')),
    record_id   INTEGER NOT NULL,
    incident_id INTEGER,                    -- the incident it belongs to, if any
    field       TEXT    NOT NULL,
    old         TEXT,
    new         TEXT,
    reason      TEXT    NOT NULL DEFAULT '',
    prev        TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);
CREATE INDEX history_record ON history (entity, record_id, seq);
CREATE INDEX history_incident ON history (incident_id, seq);

CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- Events gain the system kind (changes to the record, written by the
-- store) and retraction: an event is never deleted, it is marked.
CREATE TABLE events_v3 (
    id             INTEGER PRIMARY KEY,
    incident_id    INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    at             TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('detect','action','comms','mitigate','resolve','note','system')),
    text           TEXT    NOT NULL,
    author         TEXT    NOT NULL DEFAULT '',
    recorded_at    TEXT    NOT NULL,
    retracted_at   TEXT,
    retract_reason TEXT    NOT NULL DEFAULT ''
);
INSERT INTO events_v3 (id, incident_id, at, kind, text, author, recorded_at)
    SELECT id, incident_id, at, kind, text, author, recorded_at FROM events;
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
CREATE INDEX events_incident_at ON events (incident_id, at, id);

-- The day the evidence of a measure is dated: "as of" a day before it, the
-- evidence is not there yet.
ALTER TABLE actions ADD COLUMN evidence_on TEXT;
