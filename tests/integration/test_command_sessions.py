"""import-warc writes its run log in its batches' writer sessions (`CommandSessions`): a small import
opens two sessions rather than four, every commit is still published as it happens, and a writer
killed while its last session is open leaves readers a consistent warehouse."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import Config
from iot_ingest.errors import CommandFailed
from iot_ingest.ingest import import_warc
from iot_ingest.ingest.batch import Ingestor
from iot_ingest.warehouse import Warehouse, open_reader, open_writer, target
from iot_ingest.warehouse.sql_files import sql
from iot_ingest.warehouse.target import CommandSessions
from tests.conftest import LOCK_TIMEOUT_S
from tests.support.crash import archive_census

pytestmark = pytest.mark.integration

# Dies as SIGKILL would (no finally, no atexit) with a commit made and its session still open:
# right after the first batch's commit, or once the last batch committed and its session waits for
# the run's end (the raw archive closes in between). Batches of 6 records.
KILLED_AFTER_A_COMMIT = textwrap.dedent(
    """
    import contextlib, functools, os, sys
    from pathlib import Path
    from iot_ingest.archive import RawArchive
    from iot_ingest.config import parse_config
    from iot_ingest.ingest import import_warc
    from iot_ingest.ingest.batch import Ingestor
    from iot_ingest.warehouse.target import CommandSessions

    def die(*args):
        os._exit(9)

    real = CommandSessions.transaction

    @contextlib.contextmanager
    def die_after_commit(self, con):
        with real(self, con):
            yield
        die()

    if sys.argv[3] == "first-commit":
        CommandSessions.transaction = die_after_commit
    else:
        RawArchive.__exit__ = die
    import_warc.Ingestor = functools.partial(Ingestor, batch_size=6)
    import_warc.import_warcs([Path(sys.argv[2])], Path(sys.argv[1]), parse_config("", origin="t"), show_progress=False)
    """
)


@pytest.fixture
def existing(tmp_path: Path, config: Config) -> Path:
    """A migrated warehouse, so that what a test counts is the import's sessions alone."""
    db = tmp_path / "iot.duckdb"
    with open_writer(db, config):
        pass
    return db


def _sessions(monkeypatch: pytest.MonkeyPatch, after: Callable[[], None] | None = None) -> list[bool]:
    """Whether each writer session the import's target opens publishes; `after` runs once it closed."""
    opened: list[bool] = []
    real = target.open_writer

    @contextlib.contextmanager
    def counting(db_path: Path, config: Config, *, publish: bool = True) -> Iterator[Warehouse]:
        opened.append(publish)
        with real(db_path, config, publish=publish) as warehouse:
            yield warehouse
        if after is not None:
            after()

    monkeypatch.setattr(target, "open_writer", counting)
    return opened


def _pending(db: Path) -> Path:
    """The marker of a commit not yet published (see warehouse/publish.py)."""
    return db.with_name(db.name + ".live.pending")


def _responses(db: Path, config: Config) -> int:
    with open_reader(db, config) as con:
        row = con.execute("SELECT count(*) FROM responses").fetchone()
    assert row is not None
    return int(row[0])


def _runs(db: Path, config: Config) -> list[tuple[str, dict[str, int]]]:
    with open_reader(db, config) as con:
        rows = con.execute("SELECT status, counts FROM runs ORDER BY started_at").fetchall()
    return [(status, json.loads(counts) if counts else {}) for status, counts in rows]


def test_a_one_batch_import_of_two_files_opens_two_sessions_and_publishes_all_it_did(
    existing: Path,
    captures: list[Capture],
    warc_of: Callable[..., Path],
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened = _sessions(monkeypatch)
    files = [warc_of(captures[:8], name="a.warc.gz"), warc_of(captures[8:], name="b.warc.gz")]
    counts = import_warc.import_warcs(files, existing, config)
    # The batch's lookup of known records with the run's start; its commit with the run's end.
    assert opened == [True, True]
    assert not _pending(existing).exists(), "nothing left to publish"
    assert _responses(existing, config) == len(captures)
    ((status, recorded),) = _runs(existing, config)
    assert status == "completed"
    assert recorded == counts.as_dict(), "the end was written after the last batch counted"
    assert recorded["files"] == 2 and recorded["responses_archived"] == len(captures)


def test_a_long_import_publishes_each_batch_as_it_commits(
    existing: Path,
    captures: list[Capture],
    warc_of: Callable[..., Path],
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    opened = _sessions(monkeypatch, after=lambda: seen.append(_responses(existing, config)))
    monkeypatch.setattr(import_warc, "Ingestor", functools.partial(Ingestor, batch_size=6))
    import_warc.import_warcs([warc_of(captures)], existing, config)
    batches = -(-len(captures) // 6)
    # Each batch: a read of its known records, then its commit, published at once.
    assert opened == [True, True] + [False, True] * (batches - 1)
    committed = [min(len(captures), 6 * (k + 1)) for k in range(batches)]
    assert seen[1::2] == committed, "readers see each batch's rows when its session ends"


@pytest.mark.parametrize(("where", "published", "committed"), [("first-commit", 0, 6), ("before-the-run-end", 12, 16)])
def test_a_writer_killed_after_a_commit_leaves_readers_the_last_published_warehouse(
    existing: Path,
    captures: list[Capture],
    warc_of: Callable[..., Path],
    config: Config,
    where: str,
    published: int,
    committed: int,
) -> None:
    warc = warc_of(captures)
    died = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_A_COMMIT, str(existing), str(warc), where],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "IOT_INGEST_LOCK_TIMEOUT": str(LOCK_TIMEOUT_S)},
    )
    assert died.returncode == 9, died.stderr[-2000:]
    # The commit is in the working file only: readers still open the copy published before it.
    assert _pending(existing).exists()
    assert _responses(existing, config) == published
    assert [status for status, _ in _runs(existing, config)] == ["running"]

    again = import_warc.import_warcs([warc], existing, config)
    # The next writer published the killed one's commit first (DuckDB's log folded into the file:
    # a plain close after replaying it left the log, and every copy since, without the commit).
    assert again.load.already_archived == committed
    assert again.load.responses_archived == len(captures) - committed
    assert _responses(existing, config) == len(captures)
    assert [status for status, _ in _runs(existing, config)] == ["running", "completed"]
    census = archive_census(existing, existing.parent / "raw")
    assert census.exact, census


def test_a_session_kept_open_is_closed_and_published_when_the_sessions_close(existing: Path, config: Config) -> None:
    queued: list[str] = []
    with CommandSessions(existing, config) as sessions:
        sessions.at_next_session(lambda warehouse: queued.append(str(warehouse.path)))
        sessions.keep_next_commit_open()
        with sessions.committing() as warehouse:
            warehouse.con.execute(sql("runs.start"), ["kept", "test", datetime.now(UTC), "{}"])
        assert queued == [str(existing)], "queued work runs in the next session"
        with open_reader(existing, config) as con:
            assert con.execute("SELECT count(*) FROM runs").fetchall() == [(0,)], "not published while open"
    with open_writer(existing, config, publish=False):
        pass  # the lock is free again
    with open_reader(existing, config) as con:
        assert con.execute("SELECT run_id FROM runs").fetchall() == [("kept",)]


def test_an_import_that_never_gets_the_warehouse_asks_once_and_leaves_no_run(
    existing: Path,
    captures: list[Capture],
    warc_of: Callable[..., Path],
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[bool] = []

    def held_elsewhere(db_path: Path, config: Config, *, publish: bool = True) -> Iterator[Warehouse]:
        asked.append(publish)
        raise CommandFailed(f"database {db_path} is being written by another process; gave up after waiting")

    monkeypatch.setattr(target, "open_writer", held_elsewhere)
    with pytest.raises(CommandFailed):
        import_warc.import_warcs([warc_of(captures)], existing, config)
    assert asked == [True], "one bounded wait, not a second one to record the failure"
    assert _runs(existing, config) == []


def test_an_import_with_nothing_to_load_still_records_its_run_in_one_session(
    existing: Path, warc_of: Callable[..., Path], config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _sessions(monkeypatch)
    import_warc.import_warcs([warc_of([])], existing, config)
    assert opened == [True]
    assert [status for status, _ in _runs(existing, config)] == ["completed"]
