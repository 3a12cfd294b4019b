-- Statements of the migration runner (src/iot_ingest/warehouse/migrate.py).

-- name: create_version_table
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
);

-- name: record_version
INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, now());

-- name: recorded_versions
SELECT version, name FROM schema_migrations ORDER BY version;
