"""The raw archive: every ingested response appended to size-rotated WARC.gz files.

Each record is its own gzip member, so any record can be read back from its offset and length
alone (that is what the `responses` table indexes). File names never come from URL text.
"""

from __future__ import annotations

import fcntl
import io
import os
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import GzippingWrapper, WARCWriter

from iot_ingest import __version__
from iot_ingest.archive.capture import Capture

__all__ = ["ArchivedAt", "RawArchive"]

# Headers that describe an encoding the stored body no longer has.
_DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class ArchivedAt:
    file: str  # relative to the archive directory
    offset: int
    length: int


class RawArchive:
    """Appends captures to `<dir>/iot-<utc time>-<pid>-<n>.warc.gz`, rotating past `max_file_bytes`.

    Every writer appends to files of its own (several may run at once), locked while it has them.

    Call `sync()` before committing the index rows that point into the files, so the warehouse
    never refers to bytes that are not on disk.
    """

    def __init__(self, directory: Path, max_file_bytes: int) -> None:
        self.directory = directory
        self.max_file_bytes = max_file_bytes
        self._file: BinaryIO | None = None
        self._name = ""
        self._writer: WARCWriter | None = None
        self._sequence = 0

    def append(self, capture: Capture) -> ArchivedAt:
        writer, handle = self._current()
        headers = [(k, v) for k, v in capture.headers if k.lower() not in _DROPPED_HEADERS]
        headers.append(("Content-Length", str(len(capture.body))))
        reason = "OK" if 200 <= capture.status < 300 else "-"
        http_headers = StatusAndHeaders(f"{capture.status} {reason}", headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            capture.url,
            "response",
            payload=io.BytesIO(capture.body),
            length=len(capture.body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Date": _warc_date(capture.fetched_at),
                "WARC-Payload-Digest": capture.digest,
            },
        )
        offset = handle.tell()
        writer.write_record(record)
        return ArchivedAt(file=self._name, offset=offset, length=handle.tell() - offset)

    def append_failure(self, url: str, at: datetime, reason: str) -> ArchivedAt:
        """A request that got no response (network error, timeout) as a WARC metadata record, so the
        archive tells the whole story of a crawl and not only its successes."""
        writer, handle = self._current()
        text = f"fetch-error: {reason}\r\n".encode()
        record = writer.create_warc_record(
            url,
            "metadata",
            payload=io.BytesIO(text),
            length=len(text),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": _warc_date(at)},
        )
        offset = handle.tell()
        writer.write_record(record)
        return ArchivedAt(file=self._name, offset=offset, length=handle.tell() - offset)

    def sync(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._file is not None:
            self.sync()
            self._file.close()
            self._file = None
            self._writer = None

    def __enter__(self) -> RawArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _current(self) -> tuple[WARCWriter, BinaryIO]:
        if self._file is not None and self._writer is not None and self._file.tell() < self.max_file_bytes:
            return self._writer, self._file
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._sequence += 1
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self._name = f"iot-{stamp}-{os.getpid()}-{self._sequence:03d}-{uuid.uuid4().hex[:6]}.warc.gz"
        handle: BinaryIO = (self.directory / self._name).open("xb")
        # Held while this writer appends (the kernel drops it if the process dies): crash recovery
        # leaves a file alone while its writer lives, whatever it has not committed yet.
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        writer = _MemberWriter(handle)
        writer.write_record(
            writer.create_warcinfo_record(
                self._name, {"software": f"iot-ingest/{__version__}", "format": "WARC File Format 1.0"}
            )
        )
        self._file, self._writer = handle, writer
        return writer, handle


# warcio compresses at zlib's level 9: a third more CPU than the default 6 for archives 0.5% smaller
# (measured on the benchmark's pages), and archiving is a fifth of an import's time.
GZIP_LEVEL = 6


class _MemberWriter(WARCWriter):  # type: ignore[misc]  # warcio has no type hints
    """warcio's writer, each record its own gzip member (readable from its offset), at GZIP_LEVEL."""

    def __init__(self, handle: BinaryIO) -> None:
        super().__init__(handle, gzip=False)  # the member is this class's, not warcio's level-9 one

    def write_record(self, record: object, params: object = None) -> None:
        member = GzippingWrapper(self.out)
        member.compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self._write_warc_record(member, record)


def _warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
