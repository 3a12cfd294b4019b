"""Where a unit of work reads its state and commits its rows.

A unit does its slow work (the network, extraction, archiving) holding nothing, and opens the
warehouse only to read what it needs and to commit a batch. `BriefSessions` opens a short writer
session for each (and publishes after each commit); `CommandSessions` does too, and also keeps its
command's run log in those sessions; `HeldWarehouse` is a warehouse a caller already holds through
one transaction of its own (reprocess rebuilds everything atomically).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb

from iot_ingest.config import Config
from iot_ingest.warehouse.connection import Warehouse, open_writer, raw_dir_for

__all__ = ["BriefSessions", "CommandSessions", "HeldWarehouse", "WarehouseTarget"]


class WarehouseTarget(Protocol):
    @property
    def raw_dir(self) -> Path: ...

    def reading(self) -> contextlib.AbstractContextManager[Warehouse]:
        """The warehouse, to read state from (nothing is published after)."""
        ...

    def committing(self) -> contextlib.AbstractContextManager[Warehouse]:
        """The warehouse, to commit a batch to (published after)."""
        ...

    def transaction(self, con: duckdb.DuckDBPyConnection) -> contextlib.AbstractContextManager[None]:
        """One transaction on `con`: committed on success, rolled back on error."""
        ...


@dataclass(frozen=True)
class BriefSessions:
    """A short writer session per read and per commit: other writers get in between, readers
    never wait (they read the published copy)."""

    db_path: Path
    config: Config

    @property
    def raw_dir(self) -> Path:
        return raw_dir_for(self.db_path, self.config)

    def reading(self) -> contextlib.AbstractContextManager[Warehouse]:
        return open_writer(self.db_path, self.config, publish=False)

    def committing(self) -> contextlib.AbstractContextManager[Warehouse]:
        return open_writer(self.db_path, self.config)

    def transaction(self, con: duckdb.DuckDBPyConnection) -> contextlib.AbstractContextManager[None]:
        return _transaction(con)


@dataclass
class CommandSessions:
    """Brief sessions, as `BriefSessions`, for one command that keeps its own bookkeeping (the run
    log) in them rather than in sessions of its own: each session is a lock, an open of the working
    file, a close and a published copy, and a small import would otherwise pay four, not two.

    What `at_next_session` queues runs first in the next session opened, whichever it is (the run's
    start row goes in with the first batch's read, before anything is archived). After
    `keep_next_commit_open`, the next commit's session stays open for `closing()` (the run's end,
    which follows the last commit at once). Use as a context manager: leaving it closes a session
    still kept open.
    """

    db_path: Path
    config: Config
    _queued: list[Callable[[Warehouse], None]] = field(default_factory=list, init=False, repr=False)
    _keep_next_commit: bool = field(default=False, init=False, repr=False)
    _kept: tuple[contextlib.ExitStack, Warehouse] | None = field(default=None, init=False, repr=False)

    @property
    def raw_dir(self) -> Path:
        return raw_dir_for(self.db_path, self.config)

    def at_next_session(self, work: Callable[[Warehouse], None]) -> None:
        """Run `work` (it may write: that session publishes) at the start of the next session."""
        self._queued.append(work)

    def keep_next_commit_open(self) -> None:
        """Leave the next commit's session open for `closing()`. Only for what follows that commit
        at once: other writers wait while it is open."""
        self._keep_next_commit = True

    def reading(self) -> contextlib.AbstractContextManager[Warehouse]:
        return self._session(publish=bool(self._queued), keep=False)

    def committing(self) -> contextlib.AbstractContextManager[Warehouse]:
        keep, self._keep_next_commit = self._keep_next_commit, False
        return self._session(publish=True, keep=keep)

    def closing(self) -> contextlib.AbstractContextManager[Warehouse]:
        """The session the last commit kept open, else a new one; closed and published after."""
        self._keep_next_commit = False
        return self._session(publish=True, keep=False)

    def transaction(self, con: duckdb.DuckDBPyConnection) -> contextlib.AbstractContextManager[None]:
        return _transaction(con)

    def close(self) -> None:
        kept, self._kept = self._kept, None
        if kept is not None:
            kept[0].close()

    def __enter__(self) -> CommandSessions:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _session(self, *, publish: bool, keep: bool) -> Iterator[Warehouse]:
        if self._kept is not None:
            stack, warehouse = self._kept
            self._kept = None
        else:
            stack = contextlib.ExitStack()
            warehouse = stack.enter_context(open_writer(self.db_path, self.config, publish=publish))
        with stack:  # closes the session, on an error too, unless it is to be kept
            while self._queued:
                self._queued.pop(0)(warehouse)
            yield warehouse
            if keep:
                self._kept = (stack.pop_all(), warehouse)


@dataclass(frozen=True)
class HeldWarehouse:
    """A warehouse the caller holds, inside a transaction it commits itself."""

    warehouse: Warehouse

    @property
    def raw_dir(self) -> Path:
        return self.warehouse.raw_dir

    @contextlib.contextmanager
    def reading(self) -> Iterator[Warehouse]:
        yield self.warehouse

    @contextlib.contextmanager
    def committing(self) -> Iterator[Warehouse]:
        yield self.warehouse

    @contextlib.contextmanager
    def transaction(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        yield


@contextlib.contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.begin()
    try:
        yield
        con.commit()
    except BaseException:
        con.rollback()
        raise
