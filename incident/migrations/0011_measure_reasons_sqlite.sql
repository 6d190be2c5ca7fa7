-- A measure that is late carries a revised due date and the reason; one
-- withdrawn carries the reason it was.
ALTER TABLE actions ADD COLUMN revised_due TEXT;
ALTER TABLE actions ADD COLUMN reason TEXT NOT NULL DEFAULT '';
