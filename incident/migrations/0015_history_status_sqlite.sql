-- The gate checks every incident the history says is unresolved against
-- the record, so an incident marked resolved behind postmortem's back
-- still blocks work. This index finds each incident's last status row (or
-- its creation) without reading the rest of the history.
CREATE INDEX history_status ON history (record_id, seq) WHERE entity = 'incident' AND field IN ('*', 'status');
