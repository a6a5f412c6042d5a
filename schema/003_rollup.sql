-- 003_rollup.sql: totals per local day, developer, model, task and tool,
-- kept up to date as events are written, so reports never scan raw events.

-- A retry repeats a request the developer did not keep (daemon/rollup.c).
ALTER TABLE event ADD COLUMN is_retry INTEGER NOT NULL DEFAULT 0;
-- Finds a session's requests in order when deciding which are retries.
CREATE INDEX event_session ON event (session_id, ts) WHERE session_id IS NOT NULL;

CREATE TABLE rollup (
	day INTEGER NOT NULL,                -- local days since 1970-01-01 (see meta)
	developer_id INTEGER NOT NULL,
	model_id INTEGER NOT NULL,
	task_id INTEGER NOT NULL,            -- 0: no task
	tool_id INTEGER NOT NULL,
	requests INTEGER NOT NULL,
	accepted INTEGER NOT NULL,           -- outcome counts; the rest are unknown
	rejected INTEGER NOT NULL,
	edited INTEGER NOT NULL,
	input_tokens INTEGER NOT NULL,
	cache_read_tokens INTEGER NOT NULL,
	cache_write_tokens INTEGER NOT NULL,
	output_tokens INTEGER NOT NULL,
	reasoning_tokens INTEGER NOT NULL,
	latency_n INTEGER NOT NULL,          -- requests with a known latency
	latency_ms INTEGER NOT NULL,         -- their sum
	lines_added INTEGER NOT NULL,
	lines_removed INTEGER NOT NULL,
	lines_suggested INTEGER NOT NULL,
	lines_accepted INTEGER NOT NULL,
	near_limit INTEGER NOT NULL,         -- requests at or above the near-limit percent
	retries INTEGER NOT NULL,
	cost_usd REAL NOT NULL,              -- the tools' own estimates
	PRIMARY KEY (day, developer_id, model_id, task_id, tool_id)
) WITHOUT ROWID;

-- The distribution of those latencies (daemon/lathist.c), apart so that
-- scans of rollup stay narrow: only the model comparison reads it.
CREATE TABLE rollup_latency (
	day INTEGER NOT NULL,
	developer_id INTEGER NOT NULL,
	model_id INTEGER NOT NULL,
	task_id INTEGER NOT NULL,
	tool_id INTEGER NOT NULL,
	hist BLOB NOT NULL,
	PRIMARY KEY (day, developer_id, model_id, task_id, tool_id)
) WITHOUT ROWID;

-- Facts the stored rollup depends on (the time zone of its days, the
-- near-limit percent): when one changes, the rollup is built anew.
CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- pb_roll is the writer's: it gathers a transaction's changes in memory and
-- adds them to rollup just before COMMIT. The writer counts the rows it
-- inserts itself (a trigger per insert would cost more than the insert);
-- updates and deletes come through these triggers. A connection that has
-- not registered pb_roll cannot update or delete events, and only store.c
-- inserts them, which keeps rollup exact.
CREATE TRIGGER event_rollup_update AFTER UPDATE ON event BEGIN
	SELECT pb_roll(-1, OLD.ts, OLD.developer_id, OLD.model_id, OLD.task_id, OLD.tool_id,
	               OLD.session_id, OLD.outcome, OLD.input_tokens, OLD.cache_read_tokens,
	               OLD.cache_write_tokens, OLD.output_tokens, OLD.reasoning_tokens,
	               OLD.latency_ms, OLD.lines_added, OLD.lines_removed, OLD.lines_suggested,
	               OLD.lines_accepted, OLD.plan_used_pct, OLD.is_retry, OLD.cost_usd),
	       pb_roll(1, NEW.ts, NEW.developer_id, NEW.model_id, NEW.task_id, NEW.tool_id,
	               NEW.session_id, NEW.outcome, NEW.input_tokens, NEW.cache_read_tokens,
	               NEW.cache_write_tokens, NEW.output_tokens, NEW.reasoning_tokens,
	               NEW.latency_ms, NEW.lines_added, NEW.lines_removed, NEW.lines_suggested,
	               NEW.lines_accepted, NEW.plan_used_pct, NEW.is_retry, NEW.cost_usd);
END;

CREATE TRIGGER event_rollup_delete AFTER DELETE ON event BEGIN
	SELECT pb_roll(-1, OLD.ts, OLD.developer_id, OLD.model_id, OLD.task_id, OLD.tool_id,
	               OLD.session_id, OLD.outcome, OLD.input_tokens, OLD.cache_read_tokens,
	               OLD.cache_write_tokens, OLD.output_tokens, OLD.reasoning_tokens,
	               OLD.latency_ms, OLD.lines_added, OLD.lines_removed, OLD.lines_suggested,
	               OLD.lines_accepted, OLD.plan_used_pct, OLD.is_retry, OLD.cost_usd);
END;
