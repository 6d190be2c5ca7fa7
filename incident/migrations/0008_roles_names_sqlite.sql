-- Who holds which role on an incident (commander, comms, scribe, or any
-- named role): a JSON object, role → person. A handover is a change of it,
-- and a system entry on the timeline.
ALTER TABLE incidents ADD COLUMN roles TEXT NOT NULL DEFAULT '{}';

-- A service's name as users know it, for the notices they read (the
-- catalogue's own names are often internal: java-api). Service names are
-- one name whatever their case: java-api and Java-API are one service.
ALTER TABLE services ADD COLUMN public_name TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX services_name_nocase ON services (name COLLATE NOCASE);
