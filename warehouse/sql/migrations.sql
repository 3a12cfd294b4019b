-- Statements of the migration runner (src/iot_ingest/warehouse/migrate.py).

-- name: create_version_table
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
);

-- name: current_version
SELECT coalesce(max(version), 0) FROM schema_migrations;

-- name: record_version
INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, now());
