-- The day a measure's due date was moved: a document dated before it
-- shows the date as it was then, one dated after it the new date and why.
ALTER TABLE actions ADD COLUMN revised_on TEXT;
