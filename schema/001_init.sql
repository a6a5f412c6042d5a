-- 001_init.sql: events, the files they came from, agent edits and rejected lines.

-- Every name (developer, tool, model, task, project, session) is stored once:
-- events carry small integers, which keeps rows narrow and ingest fast.
CREATE TABLE name (
	id INTEGER PRIMARY KEY,
	text TEXT NOT NULL UNIQUE
);

-- One row per model request. uid is the request's identity (see the parsers):
-- a second copy of the same request finds the row and adds nothing. Rows are
-- appended in rowid order and only the narrow uid index takes random inserts,
-- which keeps bulk ingest within a small page cache.
CREATE TABLE event (
	id INTEGER PRIMARY KEY,
	uid INTEGER NOT NULL UNIQUE,
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
	source_offset INTEGER
);

-- Events with their names, for reports and for people reading the database.
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

-- What has been read of each file. Updated in the same transaction as the
-- events read from it, so a crash never loses or repeats a line.
CREATE TABLE source_file (
	id INTEGER PRIMARY KEY,
	path TEXT NOT NULL UNIQUE,
	format TEXT,
	developer TEXT,
	dev INTEGER NOT NULL DEFAULT 0,
	ino INTEGER NOT NULL DEFAULT 0,
	size INTEGER NOT NULL DEFAULT 0,     -- size when last read
	mtime_ns INTEGER NOT NULL DEFAULT 0,
	offset INTEGER NOT NULL DEFAULT 0,   -- bytes consumed: always a line start
	line_no INTEGER NOT NULL DEFAULT 0,  -- lines consumed
	fp_len INTEGER NOT NULL DEFAULT 0,   -- fingerprint of the first fp_len bytes
	fp INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL DEFAULT '',      -- the parser's state at offset
	events INTEGER NOT NULL DEFAULT 0,
	rejected INTEGER NOT NULL DEFAULT 0,
	first_read INTEGER,
	last_read INTEGER
);

-- Agent edits, so an edit copied into several files counts once and a
-- later decline can be applied to the request that made it (event_uid).
CREATE TABLE edit (
	id INTEGER PRIMARY KEY,
	event_uid INTEGER NOT NULL,
	lines_added INTEGER NOT NULL,
	lines_removed INTEGER NOT NULL,
	is_declined INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE reject (
	id INTEGER PRIMARY KEY,
	source_id INTEGER NOT NULL REFERENCES source_file(id),
	line_no INTEGER NOT NULL,
	offset INTEGER NOT NULL,
	reason TEXT NOT NULL,
	excerpt TEXT,
	at INTEGER NOT NULL,
	UNIQUE (source_id, offset)
);
