"""Where a unit of work reads its state and commits its rows.

A unit does its slow work (the network, extraction, archiving) holding nothing, and opens the
warehouse only to read what it needs and to commit a batch. `BriefSessions` opens a short writer
session for each (and publishes after each commit); `HeldWarehouse` is a warehouse a caller
already holds through one transaction of its own (reprocess rebuilds everything atomically).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb

from iot_ingest.config import Config
from iot_ingest.warehouse.connection import Warehouse, open_writer, raw_dir_for

__all__ = ["BriefSessions", "HeldWarehouse", "WarehouseTarget"]


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

    @contextlib.contextmanager
    def transaction(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        con.begin()
        try:
            yield
            con.commit()
        except BaseException:
            con.rollback()
            raise


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
