-- A regime bound to a service binds the incidents declared since, and
-- those still unresolved then: these find them without reading every
-- incident's services.
CREATE INDEX incidents_created ON incidents (created_at);
CREATE INDEX incidents_resolved ON incidents (resolved_at);
