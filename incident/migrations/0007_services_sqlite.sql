-- The service catalogue (which services share a fate, which regimes bind
-- them), freeze windows on work, the duties an incident's regimes put on
-- it as met (or waived) by hand, and the audience of a notice logged on the
-- timeline.
CREATE TABLE services (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (name <> ''),
    owner      TEXT NOT NULL DEFAULT '',
    groups     TEXT NOT NULL DEFAULT '[]', -- JSON array of group names, sorted
    regimes    TEXT NOT NULL DEFAULT '{}', -- JSON object: regime id → when it was attached (UTC)
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE freezes (
    id         INTEGER PRIMARY KEY,
    scope      TEXT NOT NULL CHECK (scope IN ('service','group')),
    target     TEXT NOT NULL CHECK (target <> ''),
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL CHECK (ends_at > starts_at),
    reason     TEXT NOT NULL CHECK (reason <> ''),
    ended_at   TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX freezes_ends ON freezes (ends_at);

-- Work that went ahead through a freeze: who, on which services, why.
CREATE TABLE freeze_overrides (
    freeze_id INTEGER NOT NULL REFERENCES freezes (id),
    at        TEXT NOT NULL,
    author    TEXT NOT NULL,
    services  TEXT NOT NULL, -- JSON array
    reason    TEXT NOT NULL CHECK (reason <> '')
);
CREATE INDEX freeze_overrides_freeze ON freeze_overrides (freeze_id);

CREATE TABLE duties (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('met','waived')),
    at          TEXT NOT NULL,
    ref         TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (incident_id, kind)
);

ALTER TABLE events ADD COLUMN notice TEXT CHECK (notice IN ('users','compensation'));
CREATE INDEX events_notice ON events (incident_id, at) WHERE notice IS NOT NULL;

-- The history takes the new kinds of record. Its entity check named the
-- four there were; it now takes any lower-case name, so a kind added later
-- needs no copy of the whole history. The rows are copied as they are,
-- hashes and all; the triggers come back as they were.
CREATE TABLE history_new (
    seq         INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,           -- the store's clock, UTC
    author      TEXT    NOT NULL,
    entity      TEXT    NOT NULL CHECK (entity <> '' AND entity NOT GLOB '*[^a-z]*'),
    record_id   INTEGER NOT NULL,
    incident_id INTEGER,                    -- the incident it belongs to, if any
    field       TEXT    NOT NULL,
    old         TEXT,
    new         TEXT,
    reason      TEXT    NOT NULL DEFAULT '',
    prev        TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);
INSERT INTO history_new SELECT seq, at, author, entity, record_id, incident_id, field, old, new, reason, prev, hash FROM history ORDER BY seq;
DROP TABLE history;
ALTER TABLE history_new RENAME TO history;
CREATE INDEX history_record ON history (entity, record_id, seq);
CREATE INDEX history_incident ON history (incident_id, seq);
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
