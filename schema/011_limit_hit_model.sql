-- 011_limit_hit_model.sql: the model a usage-limit message interrupted (the
-- session's latest), so that a hit counts for the plans covering that model
-- only. Hits stored before name none: they count for plans of their tool's
-- vendor.

ALTER TABLE limit_hit ADD COLUMN model_id INTEGER REFERENCES name(id);
