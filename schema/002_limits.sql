-- 002_limits.sql: the times a tool told its user they hit their plan's usage
-- limit (Claude Code writes such messages into its session log). Seat advice
-- reads them: a seat whose holder keeps hitting the limit is undersized.
CREATE TABLE limit_hit (
	id INTEGER PRIMARY KEY,              -- identity of the message: counted once
	ts INTEGER NOT NULL,                 -- UTC milliseconds
	developer_id INTEGER NOT NULL REFERENCES name(id),
	tool_id INTEGER NOT NULL REFERENCES name(id)
);
CREATE INDEX limit_hit_ts ON limit_hit(ts);
