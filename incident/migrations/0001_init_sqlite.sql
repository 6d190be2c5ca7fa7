-- The first schema: incidents, their timeline, recovery steps, links and
-- action items. Times are UTC text, 'YYYY-MM-DDTHH:MM:SSZ', so they sort
-- and read plainly in the sqlite3 shell.
CREATE TABLE incidents (
    id                 INTEGER PRIMARY KEY,
    title              TEXT    NOT NULL CHECK (title <> ''),
    services           TEXT    NOT NULL DEFAULT '[]', -- JSON array of names
    severity           TEXT    NOT NULL CHECK (severity IN ('SEV1','SEV2','SEV3','SEV4')),
    status             TEXT    NOT NULL CHECK (status IN ('open','mitigated','resolved','reviewed')),
    started_at         TEXT,
    detected_at        TEXT,
    acknowledged_at    TEXT,
    mitigated_at       TEXT,
    resolved_at        TEXT,
    users_affected_pct REAL CHECK (users_affected_pct BETWEEN 0 AND 100),
    users_affected     INTEGER CHECK (users_affected >= 0),
    symptoms           TEXT    NOT NULL DEFAULT '',
    cause              TEXT    NOT NULL DEFAULT '',
    trigger_text       TEXT    NOT NULL DEFAULT '',
    contributing       TEXT    NOT NULL DEFAULT '[]', -- JSON array
    went_well          TEXT    NOT NULL DEFAULT '',
    went_wrong         TEXT    NOT NULL DEFAULT '',
    lucky              TEXT    NOT NULL DEFAULT '',
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE INDEX incidents_started ON incidents (started_at);

CREATE TABLE recovery_steps (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    text        TEXT    NOT NULL,
    PRIMARY KEY (incident_id, position)
) WITHOUT ROWID;

CREATE TABLE related (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    related_id  INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, related_id),
    CHECK (incident_id <> related_id)
) WITHOUT ROWID;

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('detect','action','comms','mitigate','resolve','note')),
    text        TEXT    NOT NULL,
    author      TEXT    NOT NULL DEFAULT '',
    recorded_at TEXT    NOT NULL
);
CREATE INDEX events_incident_at ON events (incident_id, at, id);

CREATE TABLE actions (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER REFERENCES incidents (id) ON DELETE CASCADE,
    area        TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    due         TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('planned','in-progress','done','dropped')),
    evidence    TEXT    NOT NULL DEFAULT '',
    done_on     TEXT,
    created_at  TEXT    NOT NULL
);
CREATE INDEX actions_incident ON actions (incident_id);
