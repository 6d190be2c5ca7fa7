-- An area holds several findings, each numbered within its order, each with
-- the result of carrying it out (이행 결과) and the day that was complete;
-- its evidence is numbered attachments (붙임): a description and, when a
-- file is given, the file's name, size and SHA-256. A measure may answer
-- one finding.
CREATE TABLE findings_numbered (
    order_id  INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    no        INTEGER NOT NULL CHECK (no > 0),
    area      TEXT    NOT NULL,
    text      TEXT    NOT NULL,
    result    TEXT    NOT NULL DEFAULT '',
    result_on TEXT,
    PRIMARY KEY (order_id, no)
) WITHOUT ROWID;

INSERT INTO findings_numbered (order_id, no, area, text)
SELECT order_id, row_number() OVER (PARTITION BY order_id ORDER BY
        CASE area WHEN 'pretest' THEN 1 WHEN 'change-control' THEN 2 WHEN 'manuals' THEN 3
            WHEN 'monitoring' THEN 4 WHEN 'rca' THEN 5 WHEN 'user-notice' THEN 6 ELSE 7 END, area),
    area, text
FROM findings;

DROP TABLE findings;
ALTER TABLE findings_numbered RENAME TO findings;

CREATE TABLE attachments (
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    no       INTEGER NOT NULL CHECK (no > 0),
    finding  INTEGER NOT NULL,
    what     TEXT    NOT NULL CHECK (what <> ''),
    file     TEXT    NOT NULL DEFAULT '',
    size     INTEGER,
    sha256   TEXT    NOT NULL DEFAULT '',
    added_on TEXT    NOT NULL,
    PRIMARY KEY (order_id, no),
    FOREIGN KEY (order_id, finding) REFERENCES findings (order_id, no)
) WITHOUT ROWID;

ALTER TABLE actions ADD COLUMN finding INTEGER;
