"""The run log: every command or flow run that writes leaves a `runs` row with what it did."""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import duckdb

from iot_ingest.stats import RunStats
from iot_ingest.warehouse.sql_files import sql

if TYPE_CHECKING:
    from pathlib import Path

    from iot_ingest.config import Config
    from iot_ingest.warehouse import Warehouse
    from iot_ingest.warehouse.target import CommandSessions

__all__ = [
    "NewAnnouncement",
    "Run",
    "announcement_ids",
    "logged_run",
    "new_announcements",
    "recorded_run",
    "session_logged_run",
    "start_run",
]


@dataclass
class Run:
    run_id: str
    flow: str
    stats: RunStats = field(default_factory=RunStats)
    # Announcement ids when the run started: what is new at the end is what the run found.
    announcements_before: frozenset[str] = frozenset()

    def finish(self, con: duckdb.DuckDBPyConnection, status: str) -> None:
        con.execute(
            sql("runs.finish"),
            [datetime.now(UTC), status, json.dumps(self.stats.as_dict()), self.run_id],
        )


def start_run(con: duckdb.DuckDBPyConnection, flow: str, params: dict[str, Any], run_id: str | None = None) -> Run:
    run = Run(run_id=run_id or uuid.uuid4().hex, flow=flow)
    _insert_start(con, run, params, datetime.now(UTC))
    return run


def _insert_start(con: duckdb.DuckDBPyConnection, run: Run, params: dict[str, Any], started_at: datetime) -> None:
    con.execute(sql("runs.start"), [run.run_id, run.flow, started_at, json.dumps(params, default=str)])


@contextlib.contextmanager
def recorded_run(
    con: duckdb.DuckDBPyConnection, flow: str, params: dict[str, Any], run_id: str | None = None
) -> Iterator[Run]:
    """A `runs` row around a block: completed, interrupted (Ctrl-C) or failed, with its counts."""
    run = start_run(con, flow, params, run_id)
    with _finished(lambda status: run.finish(con, status)):
        yield run


@contextlib.contextmanager
def _finished(finish: Callable[[str], None]) -> Iterator[None]:
    status = "failed"
    try:
        yield
        status = "completed"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        if status == "completed":
            finish(status)
        else:
            try:
                finish(status)
            except Exception as exc:  # e.g. the lock is held: the error that ended the run matters more
                logging.getLogger(__name__).warning("could not record the run as %s: %s", status, exc)


@dataclass(frozen=True)
class NewAnnouncement:
    announcement_id: str
    announced_on: date | None
    headline: str | None
    institute_count: int | None
    funding_gbp: int | None
    article_count: int | None
    url: str | None
    publisher: str | None


@contextlib.contextmanager
def logged_run(
    db_path: Path, config: Config, flow: str, params: dict[str, Any], run_id: str | None = None
) -> Iterator[Run]:
    """A `runs` row around a block that opens the warehouse itself, batch by batch.

    The writer lock is taken only to start and to finish the row, so other writers (a backfill, a
    scheduled run) can load between this run's batches.
    """
    from iot_ingest.warehouse import open_writer

    with open_writer(db_path, config) as warehouse:
        run = start_run(warehouse.con, flow, params, run_id)
        run.announcements_before = frozenset(announcement_ids(warehouse.con))

    def finish(status: str) -> None:
        with open_writer(db_path, config) as warehouse:
            _record_end(warehouse, run, status)

    with _finished(finish):
        yield run


@contextlib.contextmanager
def session_logged_run(sessions: CommandSessions, flow: str, params: dict[str, Any]) -> Iterator[Run]:
    """A `runs` row around a block whose batches commit through `sessions`, written in their
    sessions rather than in two of its own: the start in the first session they open, the end in
    the last commit's when the block kept it open (`keep_next_commit_open`), else in a new one.

    The first session comes before anything is archived (the first batch's lookup of the records it
    already has), so a killed run's archive files are never older than a run the warehouse records,
    which recovery requires before it cuts a file no row points at. A run that failed before it
    ever got the warehouse (its lock held elsewhere) did nothing there and leaves no row: recording
    one would wait for the lock a second time.
    """
    run = Run(run_id=uuid.uuid4().hex, flow=flow)
    started_at = datetime.now(UTC)
    started = False

    def start(warehouse: Warehouse) -> None:
        nonlocal started
        _insert_start(warehouse.con, run, params, started_at)
        run.announcements_before = frozenset(announcement_ids(warehouse.con))
        started = True

    def finish(status: str) -> None:
        if started or status == "completed":
            with sessions.closing() as warehouse:
                _record_end(warehouse, run, status)

    sessions.at_next_session(start)
    with _finished(finish):
        yield run


def _record_end(warehouse: Warehouse, run: Run, status: str) -> None:
    run.stats.load.announcements = len(announcement_ids(warehouse.con))
    run.finish(warehouse.con, status)


def announcement_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute(sql("runs.announcement_ids")).fetchall()}


def new_announcements(con: duckdb.DuckDBPyConnection, run: Run) -> list[NewAnnouncement]:
    """Announcements that did not exist when `run` started."""
    fresh = sorted(announcement_ids(con) - run.announcements_before)
    if not fresh:
        return []
    return [NewAnnouncement(*row) for row in con.execute(sql("runs.announcements_by_id"), [fresh]).fetchall()]
