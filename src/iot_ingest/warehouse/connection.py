"""Opening the warehouse: writers one at a time and briefly (bounded wait) on a working file that is
published after each session; readers on the published copy, never waiting for a writer."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from iot_ingest.archive.recover import recover_tails
from iot_ingest.config import Config
from iot_ingest.errors import CommandFailed, UsageError
from iot_ingest.warehouse.lock import WriterLock, describe_holder
from iot_ingest.warehouse.migrate import migrate
from iot_ingest.warehouse.publish import PublishedCopy
from iot_ingest.warehouse.sql_files import sql

__all__ = ["DEFAULT_DB", "Warehouse", "default_db_path", "open_reader", "open_writer", "raw_dir_for"]

DEFAULT_DB = Path("warehouse/iot.duckdb")
_POLL_S = 0.2
_log = logging.getLogger(__name__)


def lock_timeout_s(config: Config) -> float:
    """How long to wait for the database: $IOT_INGEST_LOCK_TIMEOUT (seconds) overrides the config."""
    env = os.environ.get("IOT_INGEST_LOCK_TIMEOUT")
    if env:
        try:
            return max(0.0, float(env))
        except ValueError:
            raise UsageError(f"IOT_INGEST_LOCK_TIMEOUT must be a number of seconds, not {env!r}") from None
    return config.warehouse.lock_timeout_s


def default_db_path() -> Path:
    env = os.environ.get("IOT_INGEST_DB")
    return Path(env) if env else DEFAULT_DB


@dataclass
class Warehouse:
    """An open, migrated, writable warehouse and the raw archive directory that belongs to it."""

    path: Path
    con: duckdb.DuckDBPyConnection
    raw_dir: Path


@contextlib.contextmanager
def open_writer(db_path: Path, config: Config, *, publish: bool = True) -> Iterator[Warehouse]:
    """Hold the database for writing, briefly: take the writer lock (waiting up to the lock
    timeout), open the working file, migrate; on leaving, close it and publish it to `db_path`.

    Hold it only to read state and to commit, never across network I/O: while it is held other
    writers wait (readers never do, they read the published copy). `publish=False` is for a
    session that only reads; it still publishes if opening migrated the schema.
    """
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandFailed(f"cannot create the directory of database {db_path}: {exc}") from None
    timeout = lock_timeout_s(config)
    published = PublishedCopy(db_path)
    with WriterLock(db_path, timeout).hold():
        try:
            fresh = published.prepare()
        except OSError as exc:
            raise CommandFailed(f"cannot prepare the working copy of database {db_path}: {exc}") from None
        if publish:
            published.mark_pending()
        con = _connect(published.live, read_only=False, timeout_s=timeout, label=db_path)
        changed = publish
        try:
            con.execute("SET TimeZone = 'UTC'")
            if fresh or not _checked_here(db_path):
                if migrate(con, db_label=str(db_path)) and not changed:
                    published.mark_pending()
                    changed = True
                _schema_checked.add(str(db_path.resolve()))
            if not db_path.is_file():
                # A new warehouse: readers can open it (empty) at once, not only after this session.
                con.execute("CHECKPOINT")
                published.publish()
            raw_dir = raw_dir_for(db_path, config)
            if _recovery_due(db_path):
                _recover_archive(con, raw_dir)
            yield Warehouse(path=db_path, con=con, raw_dir=raw_dir)
        finally:
            con.close()
            if changed or not db_path.is_file():
                try:
                    published.publish()
                except OSError as exc:  # the pending marker stays: the next writer publishes
                    raise CommandFailed(f"cannot publish database {db_path}: {exc}") from None


def raw_dir_for(db_path: Path, config: Config) -> Path:
    """The raw archive directory of a warehouse: `[archive] dir`, relative to the database's folder."""
    raw_dir = Path(config.archive.dir)
    return raw_dir if raw_dir.is_absolute() else db_path.parent / raw_dir


@contextlib.contextmanager
def open_reader(db_path: Path, config: Config, *, topic: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; waits up to the lock timeout while a writer holds the file. With
    `topic`, the views show that topic only (views.sql's `topic_selected`)."""
    configured = [t.name for t in config.topics]
    if topic is not None and topic not in configured:
        raise UsageError(f"--topic {topic}: not a configured topic (configured: {', '.join(configured)})")
    if not db_path.is_file():
        raise UsageError(f"database {db_path} does not exist (load it first, e.g. `make demo`)")
    con = _connect(db_path, read_only=True, timeout_s=lock_timeout_s(config))
    try:
        # enable_external_access=False cannot be switched back on while the database is open.
        con.execute("SET TimeZone = 'UTC'")
        if topic is not None:
            con.execute("SET VARIABLE topic = ?", [topic])
        yield con
    finally:
        con.close()


# A process checks the schema once per database (a writer of newer code migrating meanwhile would be
# refused by that code, not this), and looks for killed writers' leftovers in the raw archive at
# most once a minute: each writer appends to files of its own, so nothing waits for that.
_schema_checked: set[str] = set()
_recovered_at: dict[str, float] = {}
_RECOVERY_EVERY_S = 60.0


def _checked_here(db_path: Path) -> bool:
    return str(db_path.resolve()) in _schema_checked


def _recovery_due(db_path: Path) -> bool:
    key, now = str(db_path.resolve()), time.monotonic()
    if now - _recovered_at.get(key, -_RECOVERY_EVERY_S) < _RECOVERY_EVERY_S:
        return False
    _recovered_at[key] = now
    return True


def _recover_archive(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> None:
    """Cut what a killed writer left past its last commit, before anything is appended again."""
    committed = {str(file): int(end) for file, end in con.execute(sql("archive.committed_ends")).fetchall()}
    # Read to the end: DuckDB refuses to register a relation while a result is unfinished.
    rows = con.execute(sql("archive.first_run")).fetchall()
    first_run = rows[0][0] if rows else None
    try:
        repaired = recover_tails(raw_dir, committed, first_run)
    except OSError as exc:
        raise CommandFailed(f"cannot repair the raw archive in {raw_dir}: {exc}") from None
    now = datetime.now(UTC)
    for aside in repaired:
        reason = f"{aside.reason}; {aside.length} bytes moved to {aside.kept_at}"
        _log.warning("raw archive %s: %s", aside.location, reason)
        key = hashlib.sha256(f"archive\n{aside.location}\n{reason}".encode()).hexdigest()[:24]
        con.execute(sql("archive.record_set_aside"), [key, aside.location, reason, now])


def _connect(
    db_path: Path, *, read_only: bool, timeout_s: float, label: Path | None = None
) -> duckdb.DuckDBPyConnection:
    shown = label or db_path
    deadline = time.monotonic() + timeout_s
    # A reader may not touch the file system either: no COPY TO, no read_csv of arbitrary files.
    settings: dict[str, str | bool | int | float | list[str]] = {"enable_external_access": False} if read_only else {}
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only, config=settings)
        except duckdb.IOException as exc:
            message = str(exc)
            if "lock" not in message.lower():
                raise CommandFailed(f"cannot open database {shown}: {_first_line(message)}") from None
            if time.monotonic() >= deadline:
                raise CommandFailed(
                    f"database {shown} is in use by {_holder(shown, message)}; gave up after waiting {timeout_s:g}s"
                ) from None
            time.sleep(_POLL_S)
        except duckdb.Error as exc:
            raise CommandFailed(f"cannot open database {shown}: {_first_line(str(exc))}") from None


def _holder(db_path: Path, duckdb_message: str) -> str:
    ours = describe_holder(db_path)
    if ours:
        return ours
    # Not one of ours (a duckdb shell, a notebook): DuckDB's own message names the program and PID.
    marker = "Conflicting lock is held in "
    if marker in duckdb_message:
        return duckdb_message.split(marker, 1)[1].split(". ", 1)[0].strip()
    return "another process"


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"
