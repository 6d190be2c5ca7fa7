-- An order's own periods: the deliverables it sets a period or a day for,
-- over the regime's defaults (kind → {"within":"1m"} or {"due":"YYYY-MM-DD"}).
ALTER TABLE orders ADD COLUMN terms TEXT NOT NULL DEFAULT '{}';
