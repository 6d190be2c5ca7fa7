-- Regulatory orders: what an authority ordered, about which incidents, its
-- findings per area, and when each deliverable was submitted. Due dates are
-- not stored: they are computed from the regime, so a corrected holiday
-- calendar corrects them too.
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    regime      TEXT NOT NULL,
    authority   TEXT NOT NULL DEFAULT '',
    reference   TEXT NOT NULL DEFAULT '',
    -- local wall-clock time in the regime's zone: 'YYYY-MM-DD' when only
    -- the day is known, 'YYYY-MM-DDTHH:MM' when the hour is.
    received    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE order_incidents (
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    PRIMARY KEY (order_id, incident_id)
) WITHOUT ROWID;

CREATE TABLE findings (
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    area     TEXT    NOT NULL,
    text     TEXT    NOT NULL,
    PRIMARY KEY (order_id, area)
) WITHOUT ROWID;

CREATE TABLE submissions (
    order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    submitted_on TEXT    NOT NULL,
    PRIMARY KEY (order_id, kind)
) WITHOUT ROWID;

ALTER TABLE actions ADD COLUMN order_id INTEGER REFERENCES orders (id) ON DELETE CASCADE;
CREATE INDEX actions_order ON actions (order_id);
