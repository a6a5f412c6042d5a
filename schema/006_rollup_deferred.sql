-- 006_rollup_deferred.sql: a busy writer may add a few commits' events to
-- the rollup at once (daemon/rollup.c). The rollup then holds every event
-- whose id is at most meta's rollup_through; the rest are added by the next
-- write, or by the next connection to open the database after a crash.
-- pb_roll now takes the row's id first, which tells a change to an event
-- already counted (to be written at once) from one still to be counted.

INSERT INTO meta (key, value)
SELECT 'rollup_through', coalesce(max(id), 0) FROM event WHERE 1
ON CONFLICT (key) DO UPDATE SET value = excluded.value;

DROP TRIGGER event_rollup_update;
DROP TRIGGER event_rollup_delete;

CREATE TRIGGER event_rollup_update AFTER UPDATE ON event BEGIN
	SELECT pb_roll(OLD.id, -1, OLD.ts, OLD.developer_id, OLD.model_id, OLD.task_id,
	               OLD.tool_id, OLD.session_id, OLD.outcome, OLD.input_tokens,
	               OLD.cache_read_tokens, OLD.cache_write_tokens, OLD.output_tokens,
	               OLD.reasoning_tokens, OLD.latency_ms, OLD.lines_added, OLD.lines_removed,
	               OLD.lines_suggested, OLD.lines_accepted, OLD.plan_used_pct, OLD.is_retry,
	               OLD.cost_usd),
	       pb_roll(NEW.id, 1, NEW.ts, NEW.developer_id, NEW.model_id, NEW.task_id,
	               NEW.tool_id, NEW.session_id, NEW.outcome, NEW.input_tokens,
	               NEW.cache_read_tokens, NEW.cache_write_tokens, NEW.output_tokens,
	               NEW.reasoning_tokens, NEW.latency_ms, NEW.lines_added, NEW.lines_removed,
	               NEW.lines_suggested, NEW.lines_accepted, NEW.plan_used_pct, NEW.is_retry,
	               NEW.cost_usd);
END;

CREATE TRIGGER event_rollup_delete AFTER DELETE ON event BEGIN
	SELECT pb_roll(OLD.id, -1, OLD.ts, OLD.developer_id, OLD.model_id, OLD.task_id,
	               OLD.tool_id, OLD.session_id, OLD.outcome, OLD.input_tokens,
	               OLD.cache_read_tokens, OLD.cache_write_tokens, OLD.output_tokens,
	               OLD.reasoning_tokens, OLD.latency_ms, OLD.lines_added, OLD.lines_removed,
	               OLD.lines_suggested, OLD.lines_accepted, OLD.plan_used_pct, OLD.is_retry,
	               OLD.cost_usd);
END;
