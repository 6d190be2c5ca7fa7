-- The moment a deliverable was submitted, when it is known (UTC): a
-- filing after the authority's cut-off counts the next working day, and a
-- clock chained to the submission starts at that moment, not at midnight.
-- NULL where only the day was recorded.
ALTER TABLE submissions ADD COLUMN submitted_at TEXT;
