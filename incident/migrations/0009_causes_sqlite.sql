-- What repeats: a cause category from a short fixed list, and free tags.
ALTER TABLE incidents ADD COLUMN cause_category TEXT NOT NULL DEFAULT ''
    CHECK (cause_category IN ('', 'change', 'capacity', 'hardware', 'network', 'software', 'dependency', 'operator', 'external'));
ALTER TABLE incidents ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'; -- JSON array, sorted
