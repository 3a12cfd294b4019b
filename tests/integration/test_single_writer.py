"""One writer session at a time: a second writer waits its bounded time, then fails naming the
holder; readers never wait, they open the published copy."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from iot_ingest.config import Config
from iot_ingest.errors import CommandFailed
from iot_ingest.warehouse import open_reader, open_writer
from tests.conftest import LOCK_TIMEOUT_S
from tests.support.cli_runner import in_process

pytestmark = [pytest.mark.integration, pytest.mark.serial]

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from iot_ingest.config import parse_config
    from iot_ingest.warehouse import open_writer
    with open_writer(Path(sys.argv[1]), parse_config("", origin="t")):
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    db = tmp_path / "iot.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), "30"], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "holding"
    try:
        yield db, proc
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def test_a_second_writer_waits_then_names_the_holder(held: tuple[Path, subprocess.Popen[str]], config: Config) -> None:
    db, proc = held
    started = time.monotonic()
    with pytest.raises(CommandFailed) as caught, open_writer(db, config):
        pass
    waited = time.monotonic() - started
    assert 0.75 * LOCK_TIMEOUT_S <= waited < 10, "waits about lock_timeout_s (the test config's), not forever"
    message = str(caught.value)
    assert str(db) in message
    assert f"pid {proc.pid}" in message


def test_a_reader_during_a_write_opens_the_published_warehouse_at_once(
    held: tuple[Path, subprocess.Popen[str]], config: Config
) -> None:
    db, proc = held
    # A new warehouse is published (empty) when its first writer opens it, so readers never wait:
    # the writer holds its session for 30 s, far past the test's lock timeout, and they still read.
    with open_reader(db, config) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone() == (0,)
    plain = duckdb.connect(str(db), read_only=True)  # any DuckDB client, as a notebook opens it
    try:
        assert plain.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    finally:
        plain.close()
    assert proc.poll() is None, "read while the writer still held the database"


def test_a_writer_gets_the_database_once_the_holder_is_gone(tmp_path: Path, config: Config) -> None:
    db = tmp_path / "iot.duckdb"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "0.5"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "holding"
    with open_writer(db, config) as warehouse:  # waits out the half second
        assert warehouse.con.execute("SELECT count(*) FROM runs").fetchone() == (0,)
    proc.wait()
    proc.stdout.close()


def test_a_killed_writer_does_not_leave_the_database_locked(tmp_path: Path, config: Config) -> None:
    db = tmp_path / "iot.duckdb"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "30"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.kill()
    proc.wait()
    proc.stdout.close()
    with open_writer(db, config):
        pass


def test_readers_share_the_database_when_nobody_writes(tmp_path: Path, config: Config) -> None:
    db = tmp_path / "iot.duckdb"
    with open_writer(db, config):
        pass
    with open_reader(db, config) as one, open_reader(db, config) as two:
        assert one.execute("SELECT 1").fetchone() == two.execute("SELECT 1").fetchone()


# ---- the same through the console script: two imports, and a query, during an import ------------


def _wait_for_holder(db: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    from iot_ingest.warehouse.lock import describe_holder

    deadline = time.monotonic() + timeout
    while describe_holder(db) is None:
        assert proc.poll() is None, "the first writer ended before it was seen holding the database"
        assert time.monotonic() < deadline, "the first writer never took the database"
        time.sleep(0.01)


def _start(argv: list[str | Path], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(a) for a in argv], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def two_warcs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from datetime import timedelta

    from tests.conftest import write_warc
    from tests.support.crash import many_captures

    where = tmp_path_factory.mktemp("warcs")
    # Long enough to be caught holding the database; the second a month later, so both add rows.
    first = write_warc(where / "first.warc.gz", many_captures(6))
    later = [dataclasses.replace(c, fetched_at=c.fetched_at + timedelta(days=30), digest="") for c in many_captures(2)]
    return first, write_warc(where / "second.warc.gz", later)


def test_a_second_import_gives_up_after_its_bounded_wait_naming_the_holder(
    held: tuple[Path, subprocess.Popen[str]], two_warcs: tuple[Path, Path]
) -> None:
    from tests.support.crash import import_argv

    db, proc = held
    started = time.monotonic()
    # In this process: another process than the holder, without seconds of start-up on a busy machine.
    second = in_process(import_argv(db, two_warcs[1])[1:], db.parent, {"IOT_INGEST_LOCK_TIMEOUT": "0.5"})
    assert second.code == 1
    (line,) = second.err.strip().splitlines()
    assert line.startswith(f"iot-ingest import-warc: error: database {db} is being written by pid {proc.pid} on ")
    assert line.endswith("gave up after waiting 0.5s")
    assert time.monotonic() - started < 10, "bounded"


def test_two_imports_at_once_interleave_and_either_order_gives_the_same_warehouse(
    tmp_path: Path, two_warcs: tuple[Path, Path]
) -> None:
    from tests.support.crash import IMPORT_EXCLUDED, archive_census, completed, import_argv, table_digests

    digests = []
    for name, (first, second) in {"ab": two_warcs, "ba": two_warcs[::-1]}.items():
        where = tmp_path / name
        where.mkdir()
        db = where / "iot.duckdb"
        holder = _start(import_argv(db, first), where)
        _wait_for_holder(db, holder)
        completed(import_argv(db, second), cwd=where, env={"IOT_INGEST_LOCK_TIMEOUT": "120"})  # beside the first
        assert holder.wait(120) == 0
        assert holder.stderr is not None
        holder.stderr.close()
        assert archive_census(db, where / "raw").exact
        digests.append(table_digests(db, IMPORT_EXCLUDED))
    assert digests[0] == digests[1]
    assert digests[0]["responses"].startswith(f"{16 * 8} rows")


COMMITTER = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, UTC
    from pathlib import Path
    from iot_ingest.config import parse_config
    from iot_ingest.warehouse import open_writer
    with open_writer(Path(sys.argv[1]), parse_config("", origin="t")) as warehouse:
        warehouse.con.begin()
        warehouse.con.execute(
            "INSERT INTO ingest_errors (error_id, stage, location, reason, recorded_at) "
            "VALUES ('e1', 'read', 'here', 'a test row', ?)",
            [datetime.now(UTC)],
        )
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
        warehouse.con.commit()
    """
)


def test_a_query_during_a_write_answers_at_once_and_sees_the_commit_once_published(
    tmp_path: Path, two_warcs: tuple[Path, Path]
) -> None:
    from tests.support.crash import completed, import_argv

    db = tmp_path / "iot.duckdb"
    completed(import_argv(db, two_warcs[1]), cwd=tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", COMMITTER, str(db), "4"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    query = ["query", "--db", str(db), "SELECT count(*) FROM ingest_errors WHERE error_id = 'e1'", "--format", "csv"]
    during = in_process(query, tmp_path, {"IOT_INGEST_LOCK_TIMEOUT": "0.5"})
    assert holder.poll() is None, "the writer was still inside its transaction"
    assert during.code == 0, during.err
    assert during.out.split() == ["count_star()", "0"], "the last published warehouse, not the open transaction"
    assert holder.wait(60) == 0
    holder.stdout.close()
    after = in_process(query, tmp_path, {"IOT_INGEST_LOCK_TIMEOUT": "0.5"})
    assert after.out.split() == ["count_star()", "1"], "published when the writer's session ended"
