-- The letter's (경유): the body a submission passes through on its way to
-- the addressee, when it does (an organisation's parent, an agency).
ALTER TABLE org ADD COLUMN via TEXT NOT NULL DEFAULT '';
