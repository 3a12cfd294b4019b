"""The single-writer lock: one writing process per database file, others wait a bounded time.

DuckDB already refuses a second process, but it refuses at once and names only a PID. The sidecar
`<db>.lock` file (an flock, released by the kernel if the holder dies) lets a writer queue for a
bounded time and tells the one that gives up who holds the database and since when.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from iot_ingest.errors import CommandFailed

__all__ = ["WriterLock", "describe_holder", "lock_path"]

_POLL_S = 0.1


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def describe_holder(db_path: Path) -> str | None:
    """Who holds the writer lock now, from what the holder wrote; None if no writer of ours does."""
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # held: what the file says is current
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None  # free: whatever the file says is stale
        try:
            holder = json.loads(path.read_text("utf-8"))
            return f"pid {holder['pid']} on {holder['host']} ({holder['command']}), since {holder['since']}"
        except (OSError, ValueError, KeyError, TypeError):
            return "another iot-ingest process"
    finally:
        os.close(fd)


@dataclass
class WriterLock:
    db_path: Path
    timeout_s: float

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        path = lock_path(self.db_path)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            self._acquire(fd)
            holder = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "command": " ".join(["iot-ingest", *sys.argv[1:3]]),
                "since": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(holder).encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _acquire(self, fd: int) -> None:
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CommandFailed(
                        f"database {self.db_path} is being written by "
                        f"{describe_holder(self.db_path) or 'another process'}; "
                        f"gave up after waiting {self.timeout_s:g}s"
                    ) from None
                time.sleep(_POLL_S)
