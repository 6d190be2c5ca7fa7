-- Open measures by the date they are now due: a revised date, when a late
-- measure was given one, else the date first set (deadlines lists them so).
DROP INDEX actions_open_due;
CREATE INDEX actions_open_due ON actions (coalesce(revised_due, due), id) WHERE status IN ('planned','in-progress');
