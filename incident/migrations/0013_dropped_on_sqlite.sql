-- The day a measure was withdrawn, so a document dated before it still
-- counts the measure (NULL for those withdrawn before the day was kept:
-- they stay withdrawn at any date).
ALTER TABLE actions ADD COLUMN dropped_on TEXT;
