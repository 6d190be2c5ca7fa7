-- The home screen and list read incidents open first, then the latest
-- started: an index in that order lets a page be read without sorting
-- every incident.
CREATE INDEX incidents_home ON incidents ((status IN ('open','mitigated')) DESC, COALESCE(started_at, created_at) DESC, id DESC);
