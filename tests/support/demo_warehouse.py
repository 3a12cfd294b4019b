"""The demo warehouse, built once per test session by the demo's own code (`run_demo`, the run loop
without Prefect; the flow path is tested in tests/cli), and copies of it: one per module that reads
it, one per test that adds rows (institutes, fetches, failures)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.support.fakes import _FIRST_TWELVE, _WAVE_TWO
from tests.support.topics import institute_of


def build_demo_warehouse(directory: Path) -> Path:
    """The demo's warehouse (and its raw archive) in `directory`."""
    from iot_ingest.demo import run_demo

    db = directory / "iot.duckdb"
    # Ports of its own per xdist worker: never the demo's, which a CLI test's demo may be using.
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    with contextlib.redirect_stdout(io.StringIO()):
        run_demo(db, orchestrated=False, first_port=19_000 + 100 * worker)
    return db


def copy_tree_of(db: Path, directory: Path) -> Path:
    """A copy of the warehouse with everything beside it (its raw archive)."""
    shutil.copytree(db.parent, directory, dirs_exist_ok=True)
    return directory / db.name


def copy_of(db: Path, directory: Path) -> Path:
    """A copy of the warehouse file alone (the raw archive is not needed to query it)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / db.name
    shutil.copyfile(db, target)
    return target


def execute(db: Path, statement: str, rows: Sequence[Sequence[Any]] = ()) -> None:
    """Write rows straight into a warehouse copy, as the pipeline would have."""
    con = duckdb.connect(str(db))
    try:
        con.execute("SET TimeZone = 'UTC'")
        if rows:
            con.executemany(statement, [list(r) for r in rows])
        else:
            con.execute(statement)
    finally:
        con.close()


def query(db: Path, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(statement, list(params)).fetchall()
    finally:
        con.close()


# The institutes of both waves as the loopback GOV.UK fake writes them: the facts extraction
# records each announcement's own spelling.
FIRST_WAVE = _FIRST_TWELVE
WAVE_TWO = _WAVE_TWO


def demo_warehouse_fixture() -> Any:
    """A module-scoped pytest fixture of the demo warehouse: `demo_db = demo_warehouse_fixture()`."""

    @pytest.fixture(scope="module", name="demo_db")
    def fixture(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
        return copy_tree_of(demo_warehouse, tmp_path_factory.mktemp("demo"))

    return fixture


def name_institutes(db: Path) -> None:
    """Fill announcement_institutes for the demo's announcements, as the facts extraction does."""
    ids = dict(query(db, "SELECT announced_on::VARCHAR, announcement_id FROM announcements"))
    rows = [(ids["2019-04-10"], name) for name in FIRST_WAVE]
    rows += [(ids["2021-12-17"], name) for name in WAVE_TWO]
    rows.append((ids["2022-11-03"], "Swindon and Wiltshire Institute of Technology"))
    execute(
        db,
        "INSERT OR IGNORE INTO announcement_institutes (announcement_id, institute, institute_id) VALUES (?, ?, ?)",
        [(a, name, institute_of(None, name)) for a, name in rows],
    )


def insert_fetches(db: Path, attempts: Sequence[Sequence[Any]]) -> None:
    """Rows of (fetch_id, url, requested_at, status, error, source, skipped)."""
    execute(
        db,
        "INSERT INTO fetches (fetch_id, url, requested_at, status, error, source, skipped) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        attempts,
    )


def empty_warehouse(db: Path) -> Path:
    """A freshly migrated warehouse with nothing loaded."""
    from iot_ingest.config import parse_config
    from iot_ingest.warehouse import open_writer

    with open_writer(db, parse_config("", origin="test")):
        pass
    return db
