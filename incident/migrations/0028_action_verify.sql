-- A measure's 완료 확인 방법: how its completion is to be confirmed (the
-- plan's column), said per measure rather than one phrase for all.
ALTER TABLE actions ADD COLUMN verify TEXT NOT NULL DEFAULT '';
