"""One writer at a time: a second writer waits its bounded time, then fails naming the holder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from iot_ingest.config import Config
from iot_ingest.errors import CommandFailed
from iot_ingest.warehouse import open_reader, open_writer

pytestmark = pytest.mark.integration

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
    assert 1.5 <= waited < 10, "waits about lock_timeout_s (2 s in the test config), not forever"
    message = str(caught.value)
    assert str(db) in message
    assert f"pid {proc.pid}" in message


def test_a_reader_during_a_write_waits_then_says_why(held: tuple[Path, subprocess.Popen[str]], config: Config) -> None:
    db, proc = held
    with pytest.raises(CommandFailed) as caught, open_reader(db, config):
        pass
    assert f"pid {proc.pid}" in str(caught.value)


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
