"""Readers never wait for writers: writers commit to a private working file, and after each commit
the warehouse is published to the path `--db` names as a consistent copy, by atomic rename.

DuckDB lets one process write a file and, while it does, no other process may open it, read-only
included. So no writer ever opens the published file: they take the writer lock, open the working
file (`<db>.live`), commit one short transaction, close it (DuckDB checkpoints on close, so the file
holds everything) and publish. A reader that opened the published file keeps the snapshot it opened
(the old inode stays readable until it closes), and the next one it opens is the newer one.

Crash safety, step by step:
- killed mid-commit: DuckDB's own log makes the commit all or nothing in the working file; the
  published copy is still the last one, and a `pending` marker tells the next writer to publish.
- killed mid-publish: the copy is written under a temporary name and renamed only once synced, so
  the published path is the old snapshot or the new one, never a part of either.
- The published file's identity (inode, size, mtime) is recorded after each publication. When it
  no longer matches, someone else put a warehouse there (restored a backup, copied one in): that
  file wins and the working file is made from it again. When the published file is gone but was
  published before, the warehouse was deleted on purpose, and the working file goes too.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PublishedCopy", "live_path"]

_log = logging.getLogger(__name__)
_FICLONE = 0x40049409  # Linux ioctl: share the blocks (btrfs, XFS); a plain copy where refused


def live_path(db_path: Path) -> Path:
    """The writers' working file beside the published one."""
    return db_path.with_name(db_path.name + ".live")


@dataclass(frozen=True)
class PublishedCopy:
    """The published warehouse at `db_path` and the working file it is published from. Every method
    is called with the writer lock held."""

    db_path: Path

    @property
    def live(self) -> Path:
        return live_path(self.db_path)

    @property
    def _pending(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".live.pending")

    @property
    def _identity_file(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".live.published")

    def prepare(self) -> bool:
        """Make the working file current before a writer opens it. True when it is new (made from
        the published file, or about to be created): its schema is then checked again."""
        self._remove_stale_temporaries()
        published_exists = self.db_path.is_file()
        recorded = self._recorded_identity()
        if published_exists and (not self.live.is_file() or recorded != _identity(self.db_path)):
            if self.live.is_file():
                _log.warning("%s was replaced by another file: the writers continue from it", self.db_path)
            self._seed_from_published()
            return True
        if not published_exists and recorded is not None:
            # Published before and gone now: the user removed the warehouse, so start afresh.
            _log.warning("%s was removed: starting a new warehouse", self.db_path)
            for path in (self.live, _wal(self.live), self._pending, self._identity_file):
                path.unlink(missing_ok=True)
        elif self._pending.exists() and self.live.is_file():
            self.publish()  # a writer committed and was killed before publishing
        return not self.live.is_file()

    def mark_pending(self) -> None:
        """Before a commit: if the writer dies before `publish`, the next one publishes."""
        self._pending.touch()

    def publish(self) -> None:
        """Copy the (closed, checkpointed) working file to a temporary name, sync, rename it over the
        published path, record what was published."""
        if not self.live.is_file():
            return
        if _wal(self.live).exists():
            # A writer was killed with commits still in DuckDB's log: fold them into the file,
            # which is what gets copied.
            _fold_log(self.live)
        temporary = self.db_path.with_name(f".{self.db_path.name}.publishing-{os.getpid()}")
        _copy(self.live, temporary)
        # The rename is not synced: lost in a power cut, readers keep the previous copy and the
        # working file still has the commit (the next publication carries it).
        temporary.replace(self.db_path)
        self._identity_file.write_text(json.dumps(_identity(self.db_path)), "utf-8")
        self._pending.unlink(missing_ok=True)

    def _seed_from_published(self) -> None:
        wal = _wal(self.db_path)
        if wal.exists():
            # Left by a writer of an older iot-ingest, which wrote the published file itself: replay
            # it there once, so the copy holds every commit.
            _fold_log(self.db_path)
        temporary = self.live.with_name(self.live.name + ".seeding")
        _copy(self.db_path, temporary)
        _wal(self.live).unlink(missing_ok=True)
        temporary.replace(self.live)
        self._identity_file.write_text(json.dumps(_identity(self.db_path)), "utf-8")
        self._pending.unlink(missing_ok=True)

    def _recorded_identity(self) -> list[int] | None:
        try:
            value = json.loads(self._identity_file.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return value if isinstance(value, list) else None

    def _remove_stale_temporaries(self) -> None:
        # Only a killed publisher leaves one (the lock is held): it never became the published file.
        for path in self.db_path.parent.glob(f".{self.db_path.name}.publishing-*"):
            path.unlink(missing_ok=True)
        self.live.with_name(self.live.name + ".seeding").unlink(missing_ok=True)


def _identity(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_ino, info.st_size, info.st_mtime_ns]


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _fold_log(path: Path) -> None:
    """Replay DuckDB's log into the file and checkpoint, explicitly: after replaying the log of a
    writer killed between its commit and its close, DuckDB 2.0 does not checkpoint when the
    connection closes (nor after later sessions' commits, which it logs too), and a copy of the
    file alone would miss them all."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _copy(source: Path, target: Path) -> None:
    with source.open("rb") as src, target.open("wb") as dst:
        cloned = False
        with contextlib.suppress(OSError):
            fcntl.ioctl(dst.fileno(), _FICLONE, src.fileno())
            cloned = True
        if not cloned:
            _copy_range(src.fileno(), dst.fileno(), os.fstat(src.fileno()).st_size)
        dst.flush()
        os.fsync(dst.fileno())


def _copy_range(src: int, dst: int, size: int) -> None:
    """In the kernel (no bytes through Python), falling back to reads and writes where refused."""
    copied = 0
    try:
        while copied < size:
            step = os.copy_file_range(src, dst, size - copied)
            if step == 0:
                break
            copied += step
    except OSError:
        os.lseek(src, copied, os.SEEK_SET)
        os.lseek(dst, copied, os.SEEK_SET)
        while chunk := os.read(src, 1 << 20):
            view = memoryview(chunk)
            while view:  # a write may take fewer bytes than it was given
                view = view[os.write(dst, view) :]
