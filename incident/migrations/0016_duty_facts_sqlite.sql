-- The facts the law's conditions on a duty are judged on: a service's
-- class (basic 기간통신역무, value-added 부가통신역무), whether it is paid
-- or free, its daily users; the provider's revenue of the year before, its
-- daily users, and its own targets for "without delay" duties (kind →
-- duration, e.g. {"user-notice":"1h"}). Unknown is '' or NULL: a duty is
-- never waived on a fact the record does not hold.
ALTER TABLE services ADD COLUMN class TEXT NOT NULL DEFAULT '' CHECK (class IN ('', 'basic', 'value-added'));
ALTER TABLE services ADD COLUMN fee TEXT NOT NULL DEFAULT '' CHECK (fee IN ('', 'paid', 'free'));
ALTER TABLE services ADD COLUMN daily_users INTEGER CHECK (daily_users >= 0);
ALTER TABLE org ADD COLUMN revenue INTEGER CHECK (revenue >= 0);
ALTER TABLE org ADD COLUMN daily_users INTEGER CHECK (daily_users >= 0);
ALTER TABLE org ADD COLUMN targets TEXT NOT NULL DEFAULT '{}';
