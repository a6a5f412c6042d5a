-- 010_edit_answers.sql: an agent's edit counts once its answer says it was
-- written. state: 0 proposed (the call, waiting for its result), 1 applied,
-- 2 declined, 3 failed. lines_added and lines_removed are what the edit added
-- to its request; proposed_added and proposed_removed what its call proposed,
-- used when the answer carries no patch. Edits stored before were applied
-- when read, or declined.

ALTER TABLE edit ADD COLUMN state INTEGER NOT NULL DEFAULT 1;
ALTER TABLE edit ADD COLUMN proposed_added INTEGER NOT NULL DEFAULT 0;
ALTER TABLE edit ADD COLUMN proposed_removed INTEGER NOT NULL DEFAULT 0;
UPDATE edit SET state = 2 WHERE is_declined = 1;
