-- An incident that was no outage ends as such: a declaration cancelled, a
-- false alarm, or a duplicate of another incident (duplicate_of), closed
-- at closed_at. Its status is resolved (nothing of it is open, so it holds
-- no gate) and it counts in no figure or review.
ALTER TABLE incidents ADD COLUMN closed_as TEXT NOT NULL DEFAULT ''
    CHECK (closed_as IN ('', 'cancelled', 'false-alarm', 'duplicate'));
ALTER TABLE incidents ADD COLUMN closed_at TEXT;
ALTER TABLE incidents ADD COLUMN duplicate_of INTEGER;
