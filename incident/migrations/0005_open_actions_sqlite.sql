-- Open measures by due date: what deadlines and the home screen read
-- first, soonest first, without scanning the measures already closed.
CREATE INDEX actions_open_due ON actions (due, id) WHERE status IN ('planned','in-progress');
