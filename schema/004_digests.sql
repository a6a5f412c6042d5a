-- 004_digests.sql: e-mail digests, sent exactly once per period and recipient.

CREATE TABLE digest_runs (
	digest TEXT NOT NULL,                -- digests[].name
	period TEXT NOT NULL,                -- 'YYYY-MM-DD..YYYY-MM-DD', local days
	recipient TEXT NOT NULL,             -- an e-mail address
	status TEXT NOT NULL CHECK (status IN ('sent', 'retrying', 'failed')),
	attempts INTEGER NOT NULL,
	next_try INTEGER,                    -- Unix seconds, while retrying
	last_error TEXT,
	sent_at INTEGER,                     -- Unix seconds the server accepted it
	message_id TEXT,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (digest, period, recipient)
) WITHOUT ROWID;

-- When the daemon first scheduled a digest: firings before it are not sent,
-- so adding a digest does not mail the period that ended before it existed.
CREATE TABLE digest_state (
	digest TEXT PRIMARY KEY,
	first_seen INTEGER NOT NULL
) WITHOUT ROWID;
