"""Repairing the raw archive after a crash: torn tails and records the warehouse never committed.

A load appends its records to the archive, syncs, then commits their `responses` rows. A process
killed in between leaves bytes past the last committed record of its file: whole response records
no row points at (orphans, which the re-run would archive a second time) and perhaps a gzip member
cut short. Before the next writer appends anything, those bytes are moved to `recovered/` beside
the archive and the file is truncated to its last record that is committed or harmless (warcinfo,
fetch-error metadata). Nothing is deleted: the set-aside bytes stay readable.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from iot_ingest.archive.reader import DEFAULT_MAX_RECORD_BYTES, _gzip_units

__all__ = ["RECOVERED_DIR", "SetAside", "recover_tails"]

RECOVERED_DIR = "recovered"
# Written by RawArchive; any other file in the directory is left alone.
_OUR_FILES = "iot-*.warc.gz"
# Records that may follow the last committed response without any row pointing at them.
_UNINDEXED_TYPES = frozenset({"warcinfo", "metadata"})


@dataclass(frozen=True)
class SetAside:
    file: str  # archive file, relative to the archive directory
    offset: int  # where the file ends now
    length: int  # bytes moved out
    kept_at: str  # where they are, relative to the archive directory
    reason: str

    @property
    def location(self) -> str:
        return f"{self.file}:{self.offset}"


def recover_tails(directory: Path, committed_ends: Mapping[str, int], written_since: datetime | None) -> list[SetAside]:
    """Truncate every archive file to its end of committed records, keeping what is cut aside.

    `committed_ends` maps a file to the end of its last record indexed in `responses`. A file no
    row points at is considered only if modified since `written_since` (the warehouse's first run):
    an older one belongs to some other warehouse, and None means this one has never written.
    """
    if written_since is None or not directory.is_dir():
        return []
    done = []
    for path in sorted(directory.glob(_OUR_FILES)):
        start = committed_ends.get(path.name)
        if start is None:
            if datetime.fromtimestamp(path.stat().st_mtime, written_since.tzinfo) < written_since:
                continue
            start = 0
        if path.stat().st_size <= start:
            continue
        with _unless_in_use(path) as free:
            cut = _uncommitted_tail(path, start) if free else None
            if cut is not None:
                done.append(_set_aside(directory, path, *cut))
    return done


@contextlib.contextmanager
def _unless_in_use(path: Path) -> Iterator[bool]:
    """Whether no live writer has the file (RawArchive locks its files while it appends): a file in
    use has a tail its writer has not committed yet, not one a crash left behind."""
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _uncommitted_tail(path: Path, start: int) -> tuple[int, str] | None:
    """Where the bytes no commit vouches for begin, and what they are; None if there are none."""
    cut: int | None = None
    orphans = 0
    torn = ""
    with path.open("rb") as handle:
        for unit in _gzip_units(handle, DEFAULT_MAX_RECORD_BYTES, start):
            kinds = _record_types(unit.data) if unit.data is not None else None
            if kinds is None:
                torn = unit.problem or "an unreadable record"
            elif kinds <= _UNINDEXED_TYPES:
                continue
            else:
                orphans += 1
            if cut is None:
                cut = unit.offset
    if cut is None:
        return None
    parts = []
    if orphans:
        parts.append(f"{orphans} record(s) archived but never committed to the warehouse")
    if torn:
        parts.append(f"torn tail ({torn})")
    return cut, "interrupted write: " + " and ".join(parts)


def _record_types(data: bytes) -> frozenset[str] | None:
    """The WARC record types in one gzip member, or None if it does not parse whole."""
    try:
        kinds = set()
        for record in ArchiveIterator(io.BytesIO(data), check_digests="raise"):
            kinds.add(str(record.rec_type))
            record.raw_stream.read()
        return frozenset(kinds) if kinds else None
    except (ArchiveLoadFailed, ValueError, EOFError, OSError, zlib.error):
        return None


def _set_aside(directory: Path, path: Path, cut: int, reason: str) -> SetAside:
    keep = directory / RECOVERED_DIR / f"{path.name}.{cut}.tail"
    keep.parent.mkdir(exist_ok=True)
    with path.open("r+b") as handle:
        handle.seek(cut)
        # Copied and synced before the truncation: a crash here only repeats the recovery.
        with keep.open("wb") as out:
            while chunk := handle.read(1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        length = handle.tell() - cut
        handle.truncate(cut)
        handle.flush()
        os.fsync(handle.fileno())
    return SetAside(path.name, cut, length, str(keep.relative_to(directory)), reason)
