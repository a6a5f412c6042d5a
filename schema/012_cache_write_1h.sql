-- 012_cache_write_1h.sql: one-hour cache writes, priced higher than
-- five-minute ones, are kept apart: cache_write_1h_tokens is the part of
-- cache_write_tokens written for an hour. Requests stored before count none.

DROP TRIGGER event_rollup_update;
DROP TRIGGER event_rollup_delete;

ALTER TABLE event ADD COLUMN cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup ADD COLUMN cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_week ADD COLUMN cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_month ADD COLUMN cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER event_rollup_update AFTER UPDATE ON event BEGIN
	SELECT pb_roll(OLD.id, -1, OLD.ts, OLD.developer_id, OLD.model_id, OLD.task_id, OLD.tool_id,
	               OLD.session_id, OLD.outcome, OLD.input_tokens, OLD.cache_read_tokens,
	               OLD.cache_write_tokens, OLD.output_tokens, OLD.reasoning_tokens,
	               OLD.latency_ms, OLD.lines_added, OLD.lines_removed, OLD.lines_suggested,
	               OLD.lines_accepted, OLD.plan_used_pct, OLD.is_retry, OLD.cost_usd,
	               OLD.prompts, OLD.gap_ms, OLD.cache_write_1h_tokens),
	       pb_roll(NEW.id, 1, NEW.ts, NEW.developer_id, NEW.model_id, NEW.task_id, NEW.tool_id,
	               NEW.session_id, NEW.outcome, NEW.input_tokens, NEW.cache_read_tokens,
	               NEW.cache_write_tokens, NEW.output_tokens, NEW.reasoning_tokens,
	               NEW.latency_ms, NEW.lines_added, NEW.lines_removed, NEW.lines_suggested,
	               NEW.lines_accepted, NEW.plan_used_pct, NEW.is_retry, NEW.cost_usd,
	               NEW.prompts, NEW.gap_ms, NEW.cache_write_1h_tokens);
END;

CREATE TRIGGER event_rollup_delete AFTER DELETE ON event BEGIN
	SELECT pb_roll(OLD.id, -1, OLD.ts, OLD.developer_id, OLD.model_id, OLD.task_id, OLD.tool_id,
	               OLD.session_id, OLD.outcome, OLD.input_tokens, OLD.cache_read_tokens,
	               OLD.cache_write_tokens, OLD.output_tokens, OLD.reasoning_tokens,
	               OLD.latency_ms, OLD.lines_added, OLD.lines_removed, OLD.lines_suggested,
	               OLD.lines_accepted, OLD.plan_used_pct, OLD.is_retry, OLD.cost_usd,
	               OLD.prompts, OLD.gap_ms, OLD.cache_write_1h_tokens);
END;
