-- 009_prompts_active_time.sql: the work a person did, beside the requests
-- their agents made. prompts: the turns a person started that a request
-- answers first (daemon/ingest/event.h); gap_ms: the time since the previous
-- request of the same session (of the same developer, for requests without
-- one), set by the rollup's walk of a session (daemon/store/rollup.c), from
-- which active time is summed: gaps up to estimate.idle_gap_minutes.

DROP TRIGGER event_rollup_update;
DROP TRIGGER event_rollup_delete;

ALTER TABLE event ADD COLUMN prompts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event ADD COLUMN gap_ms INTEGER;

-- Requests stored before, from tools other than the two agents, were each
-- their developer's own prompt, as a request without prompt_id still is.
-- The agents' prompts were not recorded: their requests count none.
UPDATE event SET prompts = 1
WHERE tool_id NOT IN (SELECT id FROM name WHERE text IN ('claude-code', 'codex'));

-- Prompts named by the tool (native prompt_id, OTLP prompt.id): the requests
-- sharing one count it once, whichever arrives first.
CREATE TABLE prompt (
	key INTEGER PRIMARY KEY
);

-- The walks of a session's requests, and of a developer's without one, go in
-- (ts, uid) order, which does not depend on the order requests were read.
DROP INDEX event_session;
CREATE INDEX event_session ON event (session_id, ts, uid) WHERE session_id IS NOT NULL;
CREATE INDEX event_unsessioned ON event (developer_id, ts, uid) WHERE session_id IS NULL;

ALTER TABLE rollup ADD COLUMN prompts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup ADD COLUMN active_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_week ADD COLUMN prompts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_week ADD COLUMN active_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_month ADD COLUMN prompts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_month ADD COLUMN active_ms INTEGER NOT NULL DEFAULT 0;

-- The rollup is built anew on the next start, every session walked.
DELETE FROM meta WHERE key = 'rollup_basis';

CREATE TRIGGER event_rollup_update AFTER UPDATE ON event BEGIN
	SELECT pb_roll(OLD.id, -1, OLD.ts, OLD.developer_id, OLD.model_id, OLD.task_id, OLD.tool_id,
	               OLD.session_id, OLD.outcome, OLD.input_tokens, OLD.cache_read_tokens,
	               OLD.cache_write_tokens, OLD.output_tokens, OLD.reasoning_tokens,
	               OLD.latency_ms, OLD.lines_added, OLD.lines_removed, OLD.lines_suggested,
	               OLD.lines_accepted, OLD.plan_used_pct, OLD.is_retry, OLD.cost_usd,
	               OLD.prompts, OLD.gap_ms),
	       pb_roll(NEW.id, 1, NEW.ts, NEW.developer_id, NEW.model_id, NEW.task_id, NEW.tool_id,
	               NEW.session_id, NEW.outcome, NEW.input_tokens, NEW.cache_read_tokens,
	               NEW.cache_write_tokens, NEW.output_tokens, NEW.reasoning_tokens,
	               NEW.latency_ms, NEW.lines_added, NEW.lines_removed, NEW.lines_suggested,
	               NEW.lines_accepted, NEW.plan_used_pct, NEW.is_retry, NEW.cost_usd,
	               NEW.prompts, NEW.gap_ms);
END;

CREATE TRIGGER event_rollup_delete AFTER DELETE ON event BEGIN
	SELECT pb_roll(OLD.id, -1, OLD.ts, OLD.developer_id, OLD.model_id, OLD.task_id, OLD.tool_id,
	               OLD.session_id, OLD.outcome, OLD.input_tokens, OLD.cache_read_tokens,
	               OLD.cache_write_tokens, OLD.output_tokens, OLD.reasoning_tokens,
	               OLD.latency_ms, OLD.lines_added, OLD.lines_removed, OLD.lines_suggested,
	               OLD.lines_accepted, OLD.plan_used_pct, OLD.is_retry, OLD.cost_usd,
	               OLD.prompts, OLD.gap_ms);
END;
