-- 008_recent_uids_in_events.sql: the identities not yet in uid_merged are
-- those of the events past meta's uids_merged_through, read from table event
-- itself (daemon/store.c keeps them in memory), so a new event's uid is no
-- longer written a second time, into uid_recent. A merge still adds them to
-- uid_merged in uid order every 57,344 events, then moves the mark.

INSERT OR IGNORE INTO uid_merged (uid, event_id) SELECT uid, event_id FROM uid_recent ORDER BY uid;
DROP TABLE uid_recent;

INSERT INTO meta (key, value)
SELECT 'uids_merged_through', coalesce(max(id), 0) FROM event WHERE 1
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
