-- English texts beside the Korean: a record's own English for the fields a
-- document in English shows (an incident's title and cause, a measure, a
-- finding, the organisation's name), as a JSON object by field; '{}' for
-- none. And the organisation's approval chain (결재란): the positions that
-- sign a submission, drafter first, as a JSON list; '[]' for the default.
ALTER TABLE incidents ADD COLUMN english TEXT NOT NULL DEFAULT '{}';
ALTER TABLE actions ADD COLUMN english TEXT NOT NULL DEFAULT '{}';
ALTER TABLE orders ADD COLUMN english TEXT NOT NULL DEFAULT '{}';
ALTER TABLE org ADD COLUMN english TEXT NOT NULL DEFAULT '{}';
ALTER TABLE org ADD COLUMN approval TEXT NOT NULL DEFAULT '[]';
