-- The organisation's time zone: its quarters and reviews count days
-- there, whatever the machine's zone ('' for the zone of the regimes it
-- is bound by).
ALTER TABLE org ADD COLUMN zone TEXT NOT NULL DEFAULT '';
