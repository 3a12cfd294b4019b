"""Ordered .sql migrations, applied on open and recorded in `schema_migrations`."""

from __future__ import annotations

import duckdb

from iot_ingest.errors import CommandFailed
from iot_ingest.warehouse.load import one
from iot_ingest.warehouse.sql_files import migration_files, sql, views_sql

__all__ = ["migrate"]


def migrate(con: duckdb.DuckDBPyConnection, *, db_label: str) -> list[int]:
    """Apply every migration newer than the database, each in its own transaction; then the views.

    Returns the versions applied. A database written by a newer iot-ingest is refused rather than
    silently read with the wrong schema.
    """
    con.execute(sql("migrations.create_version_table"))
    row = one(con, "migrations.current_version")
    current = int(row[0]) if row else 0
    known = migration_files()
    latest = known[-1][0] if known else 0
    if current > latest:
        raise CommandFailed(
            f"database {db_label} has schema version {current}, newer than this iot-ingest knows "
            f"({latest}): upgrade iot-ingest"
        )
    applied = []
    for version, name, path in known:
        if version <= current:
            continue
        con.begin()
        try:
            con.execute(path.read_text("utf-8"))
            con.execute(sql("migrations.record_version"), [version, name])
            con.commit()
        except Exception:
            con.rollback()
            raise
        applied.append(version)
    con.execute(views_sql())
    return applied
