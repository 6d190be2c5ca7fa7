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
