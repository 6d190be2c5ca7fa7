-- Counting incidents, and the open ones, reads this small index instead of
-- every incident's row.
CREATE INDEX incidents_status ON incidents (status);
