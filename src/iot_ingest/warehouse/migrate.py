"""Ordered .sql migrations, applied on open and recorded in `schema_migrations`.

Every migration file whose version is not recorded is applied, lowest first, whatever the highest
recorded version: numbers are reserved per change and land in any order, so a lower number merged
after a higher one still runs on databases that already have the higher one. Unused numbers (there
is no 0006) are not gaps. What is refused is a database that records a version this code has no file
for (written by another iot-ingest) or under another name (two changes took one number).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from iot_ingest.errors import CommandFailed
from iot_ingest.warehouse.sql_files import migration_files, sql, views_sql

__all__ = ["migrate"]


def migrate(con: duckdb.DuckDBPyConnection, *, db_label: str, directory: Path | None = None) -> list[int]:
    """Apply every unrecorded migration in version order, each in its own transaction; then the views.

    Returns the versions applied. `directory` replaces `warehouse/migrations/` (for tests).
    """
    con.execute(sql("migrations.create_version_table"))
    recorded = {int(version): name for version, name in con.execute(sql("migrations.recorded_versions")).fetchall()}
    known = migration_files(directory)
    _check_recorded(recorded, {version: name for version, name, _ in known}, db_label)
    applied = []
    for version, name, path in known:
        if version in recorded:
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
    _create_views(con, schema_changed=bool(applied))
    return applied


# What the views (with their comments) look like once this process has created them from the text
# of views.sql, keyed by that text. Recreating them costs ~65 ms per open, paid by every window of a
# backfill; reading what is defined costs a few ms, and tells whether anything (another iot-ingest,
# a user) changed them since.
_defined_views: dict[str, list[tuple[Any, ...]]] = {}


def _create_views(con: duckdb.DuckDBPyConnection, *, schema_changed: bool) -> None:
    text = views_sql()
    known = _defined_views.get(text)
    if not schema_changed and known is not None and con.execute(sql("migrations.views_as_defined")).fetchall() == known:
        return
    con.execute(text)
    _defined_views[text] = con.execute(sql("migrations.views_as_defined")).fetchall()


def _check_recorded(recorded: dict[int, str], known: dict[int, str], db_label: str) -> None:
    """A database is read only with the schema it was written with."""
    unknown = sorted(set(recorded) - set(known))
    if unknown:
        raise CommandFailed(
            f"database {db_label} has schema version {unknown[0]:04d} ({recorded[unknown[0]]}), which this "
            "iot-ingest does not know: upgrade iot-ingest"
        )
    for version, name in sorted(recorded.items()):
        if known[version] != name:
            raise CommandFailed(
                f"database {db_label} recorded schema version {version:04d} as {name!r} but this iot-ingest "
                f"numbers {known[version]!r} {version:04d}: two migrations share one number"
            )
