-- 005_rollup_grains.sql: the rollup again per ISO week and per local month,
-- so a report over a long period reads one row per combination for each
-- whole month and week in it, and days only at its ragged ends
-- (reports/span.c). The columns are rollup's; day is the local day number
-- of the week's Monday or of the month's first day.

CREATE TABLE rollup_week (
	day INTEGER NOT NULL,
	developer_id INTEGER NOT NULL,
	model_id INTEGER NOT NULL,
	task_id INTEGER NOT NULL,
	tool_id INTEGER NOT NULL,
	requests INTEGER NOT NULL,
	accepted INTEGER NOT NULL,
	rejected INTEGER NOT NULL,
	edited INTEGER NOT NULL,
	input_tokens INTEGER NOT NULL,
	cache_read_tokens INTEGER NOT NULL,
	cache_write_tokens INTEGER NOT NULL,
	output_tokens INTEGER NOT NULL,
	reasoning_tokens INTEGER NOT NULL,
	latency_n INTEGER NOT NULL,
	latency_ms INTEGER NOT NULL,
	lines_added INTEGER NOT NULL,
	lines_removed INTEGER NOT NULL,
	lines_suggested INTEGER NOT NULL,
	lines_accepted INTEGER NOT NULL,
	near_limit INTEGER NOT NULL,
	retries INTEGER NOT NULL,
	cost_usd REAL NOT NULL,
	PRIMARY KEY (day, developer_id, model_id, task_id, tool_id)
) WITHOUT ROWID;

CREATE TABLE rollup_week_latency (
	day INTEGER NOT NULL,
	developer_id INTEGER NOT NULL,
	model_id INTEGER NOT NULL,
	task_id INTEGER NOT NULL,
	tool_id INTEGER NOT NULL,
	hist BLOB NOT NULL,
	PRIMARY KEY (day, developer_id, model_id, task_id, tool_id)
) WITHOUT ROWID;

CREATE TABLE rollup_month (
	day INTEGER NOT NULL,
	developer_id INTEGER NOT NULL,
	model_id INTEGER NOT NULL,
	task_id INTEGER NOT NULL,
	tool_id INTEGER NOT NULL,
	requests INTEGER NOT NULL,
	accepted INTEGER NOT NULL,
	rejected INTEGER NOT NULL,
	edited INTEGER NOT NULL,
	input_tokens INTEGER NOT NULL,
	cache_read_tokens INTEGER NOT NULL,
	cache_write_tokens INTEGER NOT NULL,
	output_tokens INTEGER NOT NULL,
	reasoning_tokens INTEGER NOT NULL,
	latency_n INTEGER NOT NULL,
	latency_ms INTEGER NOT NULL,
	lines_added INTEGER NOT NULL,
	lines_removed INTEGER NOT NULL,
	lines_suggested INTEGER NOT NULL,
	lines_accepted INTEGER NOT NULL,
	near_limit INTEGER NOT NULL,
	retries INTEGER NOT NULL,
	cost_usd REAL NOT NULL,
	PRIMARY KEY (day, developer_id, model_id, task_id, tool_id)
) WITHOUT ROWID;

CREATE TABLE rollup_month_latency (
	day INTEGER NOT NULL,
	developer_id INTEGER NOT NULL,
	model_id INTEGER NOT NULL,
	task_id INTEGER NOT NULL,
	tool_id INTEGER NOT NULL,
	hist BLOB NOT NULL,
	PRIMARY KEY (day, developer_id, model_id, task_id, tool_id)
) WITHOUT ROWID;

-- A week or month in which a person's seats change is priced day by day:
-- this finds that person's day rows without reading everyone's.
CREATE INDEX rollup_developer_day ON rollup (developer_id, day);

-- Week and month rows come from the events: the next open builds the rollup anew.
DELETE FROM meta WHERE key = 'rollup_basis';
