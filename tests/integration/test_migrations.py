"""The migration runner applies every unrecorded version, in order, and refuses a schema it cannot know."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from iot_ingest.errors import CommandFailed
from iot_ingest.warehouse.migrate import migrate
from iot_ingest.warehouse.sql_files import migration_files


@pytest.fixture
def migrations(tmp_path: Path) -> Path:
    """The repository's migrations, copied so a test can add to them."""
    directory = tmp_path / "migrations"
    directory.mkdir()
    for _, _, path in migration_files():
        shutil.copy(path, directory / path.name)
    (directory / "0099_later.sql").write_text("CREATE TABLE later_table (x INTEGER);\n", "utf-8")
    return directory


def _recorded(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [v for (v,) in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]


def test_every_version_is_applied_in_order_and_only_once(migrations: Path) -> None:
    con = duckdb.connect()
    first = migrate(con, db_label="memory", directory=migrations)
    assert first == sorted(first)
    assert first == [v for v, _, _ in migration_files(migrations)]
    assert _recorded(con) == first
    assert migrate(con, db_label="memory", directory=migrations) == []


def test_a_lower_number_added_after_a_higher_one_still_runs(migrations: Path) -> None:
    con = duckdb.connect()
    migrate(con, db_label="memory", directory=migrations)
    assert 6 not in _recorded(con)  # the repository never wrote a 0006: an unused number is no gap
    (migrations / "0006_late.sql").write_text("CREATE TABLE late_table (y VARCHAR);\n", "utf-8")
    assert migrate(con, db_label="memory", directory=migrations) == [6]
    assert con.execute("SELECT count(*) FROM late_table").fetchone() == (0,)
    assert 6 in _recorded(con)


def test_two_files_with_one_number_are_refused(migrations: Path) -> None:
    (migrations / "0099_other.sql").write_text("SELECT 1;\n", "utf-8")
    with pytest.raises(RuntimeError, match="0099"):
        migrate(duckdb.connect(), db_label="memory", directory=migrations)


def test_a_recorded_version_without_a_file_is_refused(migrations: Path) -> None:
    con = duckdb.connect()
    migrate(con, db_label="memory", directory=migrations)
    (migrations / "0099_later.sql").unlink()
    with pytest.raises(CommandFailed, match=r"0099.*upgrade iot-ingest"):
        migrate(con, db_label="memory", directory=migrations)


def test_a_number_recorded_under_another_name_is_refused(migrations: Path) -> None:
    con = duckdb.connect()
    migrate(con, db_label="memory", directory=migrations)
    (migrations / "0099_later.sql").rename(migrations / "0099_renamed.sql")
    with pytest.raises(CommandFailed, match="two migrations share one number"):
        migrate(con, db_label="memory", directory=migrations)


def test_a_failing_migration_leaves_nothing_recorded(migrations: Path) -> None:
    con = duckdb.connect()
    migrate(con, db_label="memory", directory=migrations)
    (migrations / "0006_broken.sql").write_text("CREATE TABLE half (z INTEGER);\nSELECT * FROM no_such;\n", "utf-8")
    with pytest.raises(duckdb.Error):
        migrate(con, db_label="memory", directory=migrations)
    assert 6 not in _recorded(con)
    assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'half'").fetchone() == (0,)


def _views(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    views = con.execute("SELECT view_name, sql, comment FROM duckdb_views() WHERE NOT internal ORDER BY 1").fetchall()
    columns = con.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() "
        "WHERE starts_with(table_name, 'v_') ORDER BY 1, 2"
    ).fetchall()
    return [*views, *columns]


def test_views_changed_or_dropped_since_the_last_open_are_put_back(tmp_path: Path) -> None:
    """Every open leaves the views as views.sql defines them, even when this process skips recreating
    views it already made and nothing has touched."""
    path = str(tmp_path / "iot.duckdb")
    with duckdb.connect(path) as con:
        migrate(con, db_label=path)
        defined = _views(con)
    with duckdb.connect(path) as con:
        con.execute("DROP VIEW v_articles")
        con.execute("COMMENT ON VIEW v_announcements IS 'changed by hand'")
        con.execute("COMMENT ON COLUMN v_institutes.name IS 'changed by hand'")
        con.execute("CREATE OR REPLACE VIEW v_coverage AS SELECT 1 AS one")
    with duckdb.connect(path) as con:
        migrate(con, db_label=path)
        assert _views(con) == defined
