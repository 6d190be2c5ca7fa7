-- An incident as known at a moment names the incidents that linked to it
-- then. The changes of a record's related list are few; this index finds
-- them without reading the history of every incident.
CREATE INDEX history_related ON history (record_id) WHERE entity = 'incident' AND field = 'related';
