-- 013_rollup_saved.sql: each rollup row keeps the minutes its usage saved, in
-- the three scenarios, after its developer-day's ceiling (docs/roi.md), so
-- that reports over long periods read week and month rows. The writer sets
-- them (daemon/store/rollup.c); the estimate they follow is part of the
-- rollup's basis, and the rollup is built anew when it changes.

ALTER TABLE rollup ADD COLUMN saved_low REAL NOT NULL DEFAULT 0;
ALTER TABLE rollup ADD COLUMN saved_likely REAL NOT NULL DEFAULT 0;
ALTER TABLE rollup ADD COLUMN saved_high REAL NOT NULL DEFAULT 0;
ALTER TABLE rollup_week ADD COLUMN saved_low REAL NOT NULL DEFAULT 0;
ALTER TABLE rollup_week ADD COLUMN saved_likely REAL NOT NULL DEFAULT 0;
ALTER TABLE rollup_week ADD COLUMN saved_high REAL NOT NULL DEFAULT 0;
ALTER TABLE rollup_month ADD COLUMN saved_low REAL NOT NULL DEFAULT 0;
ALTER TABLE rollup_month ADD COLUMN saved_likely REAL NOT NULL DEFAULT 0;
ALTER TABLE rollup_month ADD COLUMN saved_high REAL NOT NULL DEFAULT 0;

DELETE FROM meta WHERE key = 'rollup_basis';
