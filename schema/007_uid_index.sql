-- 007_uid_index.sql: the identities of events move out of table event into
-- two tables of their own (daemon/store.c): uid_recent takes the new ones,
-- and is merged into uid_merged, in uid order, every 65,536 events. With a
-- UNIQUE index on event.uid every event's random uid dirtied its own page of
-- a large index at each commit; now a commit dirties pages of a small table,
-- and a merge writes each page of the large one once for many commits.
-- SQLite cannot drop a UNIQUE constraint, so table event is made again.

CREATE TABLE uid_merged (
	uid INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL
);
CREATE TABLE uid_recent (
	uid INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL
);
INSERT INTO uid_merged (uid, event_id) SELECT uid, id FROM event ORDER BY uid;

DROP VIEW event_named;
DROP TRIGGER event_rollup_update;
DROP TRIGGER event_rollup_delete;
DROP INDEX event_session;

CREATE TABLE event_new (
	id INTEGER PRIMARY KEY,
	uid INTEGER NOT NULL,                -- the request's identity, in uid_recent or uid_merged
	ts INTEGER NOT NULL,                 -- UTC milliseconds
	developer_id INTEGER NOT NULL REFERENCES name(id),
	tool_id INTEGER NOT NULL REFERENCES name(id),
	model_id INTEGER NOT NULL REFERENCES name(id),
	task_id INTEGER REFERENCES name(id),
	project_id INTEGER REFERENCES name(id),
	session_id INTEGER REFERENCES name(id),
	input_tokens INTEGER NOT NULL DEFAULT 0,       -- not served from cache
	cache_read_tokens INTEGER NOT NULL DEFAULT 0,
	cache_write_tokens INTEGER NOT NULL DEFAULT 0,
	output_tokens INTEGER NOT NULL DEFAULT 0,      -- reasoning included
	reasoning_tokens INTEGER NOT NULL DEFAULT 0,   -- part of output_tokens
	latency_ms INTEGER,
	outcome TEXT CHECK (outcome IN ('accepted', 'rejected', 'edited')),
	lines_added INTEGER NOT NULL DEFAULT 0,
	lines_removed INTEGER NOT NULL DEFAULT 0,
	lines_suggested INTEGER NOT NULL DEFAULT 0,
	lines_accepted INTEGER NOT NULL DEFAULT 0,
	cost_usd REAL,                       -- the tool's own estimate
	plan_used_pct REAL,                  -- how close to the plan's limits
	source_id INTEGER REFERENCES source_file(id),
	source_offset INTEGER,
	is_retry INTEGER NOT NULL DEFAULT 0
);

INSERT INTO event_new (id, uid, ts, developer_id, tool_id, model_id, task_id,
	project_id, session_id, input_tokens, cache_read_tokens, cache_write_tokens,
	output_tokens, reasoning_tokens, latency_ms, outcome, lines_added, lines_removed,
	lines_suggested, lines_accepted, cost_usd, plan_used_pct, source_id, source_offset,
	is_retry)
SELECT id, uid, ts, developer_id, tool_id, model_id, task_id, project_id, session_id,
	input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
	latency_ms, outcome, lines_added, lines_removed, lines_suggested, lines_accepted,
	cost_usd, plan_used_pct, source_id, source_offset, is_retry FROM event ORDER BY id;
DROP TABLE event;
ALTER TABLE event_new RENAME TO event;

CREATE INDEX event_session ON event (session_id, ts) WHERE session_id IS NOT NULL;

CREATE VIEW event_named AS
SELECT e.*, d.text AS developer, t.text AS tool, m.text AS model, k.text AS task,
       p.text AS project, s.text AS session
FROM event e
JOIN name d ON d.id = e.developer_id
JOIN name t ON t.id = e.tool_id
JOIN name m ON m.id = e.model_id
LEFT JOIN name k ON k.id = e.task_id
LEFT JOIN name p ON p.id = e.project_id
LEFT JOIN name s ON s.id = e.session_id;

-- As in 006.
CREATE TRIGGER event_rollup_update AFTER UPDATE ON event BEGIN
	SELECT pb_roll(OLD.id, -1, OLD.ts, OLD.developer_id, OLD.model_id, OLD.task_id, OLD.tool_id,
	               OLD.session_id, OLD.outcome, OLD.input_tokens, OLD.cache_read_tokens,
	               OLD.cache_write_tokens, OLD.output_tokens, OLD.reasoning_tokens,
	               OLD.latency_ms, OLD.lines_added, OLD.lines_removed, OLD.lines_suggested,
	               OLD.lines_accepted, OLD.plan_used_pct, OLD.is_retry, OLD.cost_usd),
	       pb_roll(NEW.id, 1, NEW.ts, NEW.developer_id, NEW.model_id, NEW.task_id, NEW.tool_id,
	               NEW.session_id, NEW.outcome, NEW.input_tokens, NEW.cache_read_tokens,
	               NEW.cache_write_tokens, NEW.output_tokens, NEW.reasoning_tokens,
	               NEW.latency_ms, NEW.lines_added, NEW.lines_removed, NEW.lines_suggested,
	               NEW.lines_accepted, NEW.plan_used_pct, NEW.is_retry, NEW.cost_usd);
END;

CREATE TRIGGER event_rollup_delete AFTER DELETE ON event BEGIN
	SELECT pb_roll(OLD.id, -1, OLD.ts, OLD.developer_id, OLD.model_id, OLD.task_id, OLD.tool_id,
	               OLD.session_id, OLD.outcome, OLD.input_tokens, OLD.cache_read_tokens,
	               OLD.cache_write_tokens, OLD.output_tokens, OLD.reasoning_tokens,
	               OLD.latency_ms, OLD.lines_added, OLD.lines_removed, OLD.lines_suggested,
	               OLD.lines_accepted, OLD.plan_used_pct, OLD.is_retry, OLD.cost_usd);
END;
