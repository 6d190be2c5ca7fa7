-- The provider's figures by year: the law reads the revenue of the year
-- before the incident, and the daily users of the last three months of
-- that year ({"2023": {"revenue": N, "daily_users": N}}). The single
-- figures stand for any year not given.
ALTER TABLE org ADD COLUMN yearly TEXT NOT NULL DEFAULT '{}';
