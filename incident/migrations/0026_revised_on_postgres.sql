-- PostgreSQL databases begin here, at version 26: this file creates the
-- schema as SQLite's migrations 1 to 26 left it. Every value is kept as
-- SQLite keeps it (times as text in UTC, lists and objects as JSON text),
-- so both engines give the same records, the same export and the same
-- history, hash for hash. The database's collation must be C, so text
-- sorts by its bytes as in SQLite (the store checks it on opening).

-- schema_version marks the database as postmortem's and says how far its
-- schema has come (SQLite keeps both in the file's header).
CREATE TABLE schema_version (
    application_id BIGINT  NOT NULL,
    version        INTEGER NOT NULL
);
INSERT INTO schema_version VALUES (1349338178, 26);

-- A record's id, when none is given, is one more than the highest there
-- is, as SQLite gives it: the same records get the same ids on both
-- engines. Writers take turns (the store's write lock), so two never
-- draw the same.
CREATE FUNCTION next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I', TG_TABLE_NAME) INTO NEW.id;
    RETURN NEW;
END $$;

-- SQLite's instr(), which the store's searches use.
CREATE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT strpos($1, $2)';

CREATE TABLE incidents (
    id                 BIGINT PRIMARY KEY,
    title              TEXT    NOT NULL CHECK (title <> ''),
    services           TEXT    NOT NULL DEFAULT '[]',
    severity           TEXT    NOT NULL CHECK (severity IN ('SEV1','SEV2','SEV3','SEV4')),
    status             TEXT    NOT NULL CHECK (status IN ('open','mitigated','resolved','reviewed')),
    started_at         TEXT,
    detected_at        TEXT,
    acknowledged_at    TEXT,
    mitigated_at       TEXT,
    resolved_at        TEXT,
    users_affected_pct DOUBLE PRECISION CHECK (users_affected_pct BETWEEN 0 AND 100),
    users_affected     BIGINT CHECK (users_affected >= 0),
    symptoms           TEXT    NOT NULL DEFAULT '',
    cause              TEXT    NOT NULL DEFAULT '',
    trigger_text       TEXT    NOT NULL DEFAULT '',
    contributing       TEXT    NOT NULL DEFAULT '[]',
    went_well          TEXT    NOT NULL DEFAULT '',
    went_wrong         TEXT    NOT NULL DEFAULT '',
    lucky              TEXT    NOT NULL DEFAULT '',
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    roles              TEXT    NOT NULL DEFAULT '{}',
    cause_category     TEXT    NOT NULL DEFAULT ''
        CHECK (cause_category IN ('', 'change', 'capacity', 'hardware', 'network', 'software', 'dependency', 'operator', 'external')),
    tags               TEXT    NOT NULL DEFAULT '[]',
    classified_at      TEXT,
    material_at        TEXT,
    closed_as          TEXT    NOT NULL DEFAULT '' CHECK (closed_as IN ('', 'cancelled', 'false-alarm', 'duplicate')),
    closed_at          TEXT,
    duplicate_of       BIGINT
);
CREATE INDEX incidents_started ON incidents (started_at);
CREATE INDEX incidents_home ON incidents ((status IN ('open','mitigated')) DESC, COALESCE(started_at, created_at) DESC, id DESC);
CREATE INDEX incidents_status ON incidents (status);
CREATE INDEX incidents_created ON incidents (created_at);
CREATE INDEX incidents_resolved ON incidents (resolved_at);

CREATE TABLE recovery_steps (
    incident_id BIGINT  NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    text        TEXT    NOT NULL,
    PRIMARY KEY (incident_id, position)
);
CREATE TABLE related (
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    related_id  BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, related_id),
    CHECK (incident_id <> related_id)
);

CREATE TABLE orders (
    id          BIGINT PRIMARY KEY,
    regime      TEXT NOT NULL,
    authority   TEXT NOT NULL DEFAULT '',
    reference   TEXT NOT NULL DEFAULT '',
    received    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    terms       TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE order_incidents (
    order_id    BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    PRIMARY KEY (order_id, incident_id)
);
CREATE TABLE submissions (
    order_id     BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind         TEXT   NOT NULL,
    submitted_on TEXT   NOT NULL,
    doc_number   TEXT   NOT NULL DEFAULT '',
    submitted_at TEXT,
    PRIMARY KEY (order_id, kind)
);
CREATE TABLE findings (
    order_id  BIGINT  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    no        INTEGER NOT NULL CHECK (no > 0),
    area      TEXT    NOT NULL,
    text      TEXT    NOT NULL,
    result    TEXT    NOT NULL DEFAULT '',
    result_on TEXT,
    PRIMARY KEY (order_id, no)
);
CREATE TABLE attachments (
    order_id BIGINT  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    no       INTEGER NOT NULL CHECK (no > 0),
    finding  INTEGER NOT NULL,
    what     TEXT    NOT NULL CHECK (what <> ''),
    file     TEXT    NOT NULL DEFAULT '',
    size     BIGINT,
    sha256   TEXT    NOT NULL DEFAULT '',
    added_on TEXT    NOT NULL,
    PRIMARY KEY (order_id, no),
    FOREIGN KEY (order_id, finding) REFERENCES findings (order_id, no)
);

CREATE TABLE actions (
    id          BIGINT PRIMARY KEY,
    incident_id BIGINT REFERENCES incidents (id) ON DELETE CASCADE,
    area        TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    due         TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('planned','in-progress','done','dropped')),
    evidence    TEXT    NOT NULL DEFAULT '',
    done_on     TEXT,
    created_at  TEXT    NOT NULL,
    order_id    BIGINT REFERENCES orders (id) ON DELETE CASCADE,
    evidence_on TEXT,
    revised_due TEXT,
    reason      TEXT    NOT NULL DEFAULT '',
    finding     INTEGER,
    dropped_on  TEXT,
    revised_on  TEXT
);
CREATE INDEX actions_incident ON actions (incident_id);
CREATE INDEX actions_order ON actions (order_id);
CREATE INDEX actions_open_due ON actions (coalesce(revised_due, due), id) WHERE status IN ('planned','in-progress');

CREATE TABLE events (
    id             BIGINT PRIMARY KEY,
    incident_id    BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    at             TEXT   NOT NULL,
    kind           TEXT   NOT NULL CHECK (kind IN ('detect','action','comms','mitigate','resolve','note','system')),
    text           TEXT   NOT NULL,
    author         TEXT   NOT NULL DEFAULT '',
    recorded_at    TEXT   NOT NULL,
    retracted_at   TEXT,
    retract_reason TEXT   NOT NULL DEFAULT '',
    notice         TEXT CHECK (notice IN ('users','compensation'))
);
CREATE INDEX events_incident_at ON events (incident_id, at, id);
CREATE INDEX events_notice ON events (incident_id, at) WHERE notice IS NOT NULL;

CREATE TABLE services (
    id          BIGINT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (name <> ''),
    owner       TEXT NOT NULL DEFAULT '',
    groups      TEXT NOT NULL DEFAULT '[]',
    regimes     TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    public_name TEXT NOT NULL DEFAULT '',
    class       TEXT NOT NULL DEFAULT '' CHECK (class IN ('', 'basic', 'value-added')),
    fee         TEXT NOT NULL DEFAULT '' CHECK (fee IN ('', 'paid', 'free')),
    daily_users BIGINT CHECK (daily_users >= 0)
);
CREATE UNIQUE INDEX services_name_nocase ON services (lower(name));

CREATE TABLE freezes (
    id         BIGINT PRIMARY KEY,
    scope      TEXT NOT NULL CHECK (scope IN ('service','group')),
    target     TEXT NOT NULL CHECK (target <> ''),
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL CHECK (ends_at > starts_at),
    reason     TEXT NOT NULL CHECK (reason <> ''),
    ended_at   TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX freezes_ends ON freezes (ends_at);
CREATE TABLE freeze_overrides (
    id        BIGINT PRIMARY KEY, -- SQLite's rowid: the order they came in
    freeze_id BIGINT NOT NULL REFERENCES freezes (id),
    at        TEXT NOT NULL,
    author    TEXT NOT NULL,
    services  TEXT NOT NULL,
    reason    TEXT NOT NULL CHECK (reason <> '')
);
CREATE INDEX freeze_overrides_freeze ON freeze_overrides (freeze_id);

CREATE TABLE duties (
    id          BIGINT PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('met','waived')),
    at          TEXT NOT NULL,
    ref         TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (incident_id, kind)
);

CREATE TABLE org (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    name           TEXT NOT NULL DEFAULT '',
    representative TEXT NOT NULL DEFAULT '',
    department     TEXT NOT NULL DEFAULT '',
    person         TEXT NOT NULL DEFAULT '',
    contact        TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    doc_prefix     TEXT NOT NULL DEFAULT '',
    marking        TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    revenue        BIGINT CHECK (revenue >= 0),
    daily_users    BIGINT CHECK (daily_users >= 0),
    targets        TEXT NOT NULL DEFAULT '{}',
    zone           TEXT NOT NULL DEFAULT '',
    yearly         TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE history (
    seq         BIGINT PRIMARY KEY,
    at          TEXT   NOT NULL,
    author      TEXT   NOT NULL,
    entity      TEXT   NOT NULL CHECK (entity ~ '^[a-z]+$'),
    record_id   BIGINT NOT NULL,
    incident_id BIGINT,
    field       TEXT   NOT NULL,
    old         TEXT,
    new         TEXT,
    reason      TEXT   NOT NULL DEFAULT '',
    prev        TEXT   NOT NULL,
    hash        TEXT   NOT NULL
);
CREATE INDEX history_record ON history (entity, record_id, seq);
CREATE INDEX history_incident ON history (incident_id, seq);
CREATE INDEX history_status ON history (record_id, seq) WHERE entity = 'incident' AND field IN ('*', 'status');
CREATE INDEX history_related ON history (record_id) WHERE entity = 'incident' AND field = 'related';

CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'history is append-only'; END $$;
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
    FOR EACH ROW EXECUTE FUNCTION history_append_only();
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION history_append_only();
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION history_append_only();

-- Every commit that writes history tells the screens listening (the
-- change feed): once a statement, delivered when the transaction commits.
CREATE FUNCTION history_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('postmortem_history', ''); RETURN NULL; END $$;
CREATE TRIGGER history_notify AFTER INSERT ON history
    FOR EACH STATEMENT EXECUTE FUNCTION history_notify();

CREATE TABLE archives (
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    kind        TEXT   NOT NULL,
    format      TEXT   NOT NULL CHECK (format IN ('pdf', 'md')),
    bytes       BYTEA  NOT NULL,
    sha256      TEXT   NOT NULL,
    head        TEXT   NOT NULL,
    archived_at TEXT   NOT NULL,
    PRIMARY KEY (order_id, kind, format)
);
CREATE FUNCTION archives_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'a submitted document is archived once, never changed or removed'; END $$;
CREATE TRIGGER archives_no_update BEFORE UPDATE OR DELETE ON archives
    FOR EACH ROW EXECUTE FUNCTION archives_kept();

CREATE TRIGGER incidents_id BEFORE INSERT ON incidents FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION next_id();
CREATE TRIGGER orders_id BEFORE INSERT ON orders FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION next_id();
CREATE TRIGGER actions_id BEFORE INSERT ON actions FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION next_id();
CREATE TRIGGER events_id BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION next_id();
CREATE TRIGGER services_id BEFORE INSERT ON services FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION next_id();
CREATE TRIGGER freezes_id BEFORE INSERT ON freezes FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION next_id();
CREATE TRIGGER freeze_overrides_id BEFORE INSERT ON freeze_overrides FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION next_id();
CREATE TRIGGER duties_id BEFORE INSERT ON duties FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION next_id();
