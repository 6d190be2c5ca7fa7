-- Moments a law starts a clock from that the key times do not hold: when
-- the incident was classified as major (DORA's initial notification runs
-- from it) and when it was determined to be material (SEC Form 8-K runs
-- from it). NULL until recorded.
ALTER TABLE incidents ADD COLUMN classified_at TEXT;
ALTER TABLE incidents ADD COLUMN material_at TEXT;
