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

-- name: views_as_defined
SELECT v.view_name, v.sql, v.comment, c.column_name, c.comment
FROM duckdb_views() v
LEFT JOIN duckdb_columns() c ON c.table_name = v.view_name AND c.schema_name = v.schema_name
WHERE NOT v.internal AND v.schema_name = 'main'
ORDER BY v.view_name, c.column_index;
