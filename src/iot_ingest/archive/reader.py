"""Reading WARC and ARC files (plain or gzipped) record by record, surviving corrupt and truncated records.

ARC, the format before WARC still found in older crawls, is read as warcio reads it: each ARC
record becomes the WARC response it stands for.

A file is cut into units (a gzip member, or one framed record of an uncompressed file) without
trusting warcio to get past damage: a unit that fails is reported with its offset and reason,
and reading resumes at the next gzip member or `WARC/1.` header.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from iot_ingest.archive.capture import Capture

__all__ = ["RecordProblem", "WarcResponse", "iter_warc", "read_archived"]

_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_MAX_HEADER_BYTES = 64 * 1024
# An ARC record starts with "URL IP-address Archive-date Content-type Archive-length" (the first
# one with "filedesc://"); the URL itself may hold spaces, so the fields are counted from the end.
_ARC_HEADER = re.compile(rb"(?:filedesc|https?|dns|ftp)://\S*.*? \S+ \d{12,18} \S* ?(-?\w+)\r?\n")
DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class WarcResponse:
    capture: Capture
    file: Path
    offset: int


@dataclass(frozen=True)
class RecordProblem:
    file: Path
    offset: int
    reason: str
    url: str | None = None

    @property
    def location(self) -> str:
        return f"{self.file}:{self.offset}"


@dataclass(frozen=True)
class _Unit:
    offset: int
    data: bytes | None  # None when the unit could not be read
    problem: str = ""


def iter_warc(
    path: Path, *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
) -> Iterator[WarcResponse | RecordProblem]:
    """Every HTTP response record of a WARC or ARC file (gzipped or not), or the problem with it.

    Records of other types (warcinfo, request, metadata, revisit) are passed over silently.
    """
    with path.open("rb") as handle:
        start = handle.read(4096)
        handle.seek(0)
        if start.startswith(_GZIP_MAGIC):
            units = _gzip_units(handle, max_record_bytes)
        elif _ARC_HEADER.match(start.lstrip(b"\r\n")):
            units = _arc_units(handle, max_record_bytes)
        else:
            units = _plain_units(handle, max_record_bytes)
        for unit in units:
            if unit.data is None:
                yield RecordProblem(path, unit.offset, unit.problem)
                continue
            yield from _responses_in(unit, path, max_record_bytes)


def read_archived(raw_dir: Path, file: str, offset: int, length: int) -> Capture:
    """The capture stored at (file, offset, length) of the raw archive."""
    with (raw_dir / file).open("rb") as handle:
        handle.seek(offset)
        data = handle.read(length)
    for item in iter_warc_bytes(data, Path(file)):
        if isinstance(item, WarcResponse):
            return item.capture
        raise ValueError(f"archived record {file}:{offset} is unreadable: {item.reason}")
    raise ValueError(f"no response record at {file}:{offset}")


def iter_warc_bytes(data: bytes, label: Path) -> Iterator[WarcResponse | RecordProblem]:
    units = _gzip_units(io.BytesIO(data), DEFAULT_MAX_RECORD_BYTES)
    for unit in units:
        if unit.data is None:
            yield RecordProblem(label, unit.offset, unit.problem)
        else:
            yield from _responses_in(unit, label, DEFAULT_MAX_RECORD_BYTES)


def _responses_in(unit: _Unit, path: Path, max_record_bytes: int) -> Iterator[WarcResponse | RecordProblem]:
    assert unit.data is not None
    url: str | None = None
    records = 0
    text = unit.data.lstrip(b"\r\n")
    if text and not text.startswith(_WARC_MAGIC) and not _ARC_HEADER.match(text):
        yield RecordProblem(path, unit.offset, "no WARC or ARC record here (not a WARC file?)")
        return
    try:
        for record in ArchiveIterator(io.BytesIO(unit.data), check_digests="raise", arc2warc=True):
            records += 1
            if record.format != "warc":
                yield RecordProblem(path, unit.offset, f"not a WARC record (looks like {record.format})")
                return
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type == "response" and record.http_headers is None and _is_http(url):
                record.raw_stream.read()
                yield RecordProblem(path, unit.offset, "response record holds no HTTP response", url)
                continue
            if record.rec_type != "response" or record.http_headers is None:
                record.raw_stream.read()  # another record type, or a non-HTTP response (dns:, ftp:)
                continue
            body = record.content_stream().read(max_record_bytes + 1)
            if len(body) > max_record_bytes:
                yield RecordProblem(path, unit.offset, f"payload larger than {max_record_bytes} bytes", url)
                continue
            record.raw_stream.read()  # to the end, so the digest is checked
            yield WarcResponse(_capture(record, url, body), path, unit.offset)
    except (ArchiveLoadFailed, ValueError, EOFError, OSError, zlib.error) as exc:
        yield RecordProblem(path, unit.offset, f"unreadable record: {_describe(exc)}", url)
        return
    if records == 0 and unit.data.strip():
        yield RecordProblem(path, unit.offset, "no WARC record here (not a WARC file?)")


def _is_http(url: str | None) -> bool:
    """True for an http(s) target, and for none: a response must say what it answers."""
    return url is None or url.strip("<> ").lower().startswith(("http://", "https://"))


def _capture(record: object, url: str | None, body: bytes) -> Capture:
    rec_headers = record.rec_headers  # type: ignore[attr-defined]
    http_headers = record.http_headers  # type: ignore[attr-defined]
    if not url:
        raise ValueError("response record has no WARC-Target-URI")
    when = _parse_warc_date(rec_headers.get_header("WARC-Date") or "")
    status_text = http_headers.get_statuscode() or ""
    if not status_text.isdigit():
        raise ValueError(f"bad HTTP status {status_text!r}")
    headers = tuple((str(k), str(v)) for k, v in http_headers.headers)
    # The payload as stored is decoded; keep the headers honest about it.
    headers = tuple((k, v) for k, v in headers if k.lower() not in {"content-encoding", "transfer-encoding"})
    return Capture(url=url.strip("<> "), fetched_at=when, status=int(status_text), headers=headers, body=body)


def _parse_warc_date(text: str) -> datetime:
    value = text.strip()
    if not value:
        raise ValueError("response record has no WARC-Date")
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _gzip_units(handle: BinaryIO, max_bytes: int, start: int = 0) -> Iterator[_Unit]:
    """One unit per gzip member from `start`; a corrupt member is reported and the next member found."""
    offset = start
    while True:
        handle.seek(offset)
        decomp = zlib.decompressobj(wbits=31)
        out = bytearray()
        consumed = 0
        too_big = False
        problem = ""
        first = True
        while not decomp.eof:
            chunk = handle.read(_CHUNK)
            if not chunk:
                if not first or consumed:
                    problem = f"truncated gzip member (file ends at byte {offset + consumed})"
                break
            first = False
            try:
                piece = decomp.decompress(chunk)
            except zlib.error as exc:
                problem = f"corrupt gzip data: {exc}"
                break
            consumed += len(chunk)
            if not too_big:
                out += piece
                if len(out) > max_bytes:
                    too_big, out = True, bytearray()
        if first and not problem:
            return  # clean end of file
        if decomp.eof:
            end = offset + consumed - len(decomp.unused_data)
            if too_big:
                yield _Unit(offset, None, f"record larger than {max_bytes} bytes when decompressed")
            else:
                yield _Unit(offset, bytes(out))
            offset = end
            continue
        yield _Unit(offset, None, problem)
        next_member = _find(handle, _GZIP_MAGIC, offset + 1)
        if next_member is None:
            return
        offset = next_member


def _plain_units(handle: BinaryIO, max_bytes: int) -> Iterator[_Unit]:
    """One unit per record of an uncompressed WARC, framed by its Content-Length."""
    offset = 0
    while True:
        handle.seek(offset)
        head = bytearray()
        while b"\r\n\r\n" not in head and len(head) < _MAX_HEADER_BYTES:
            chunk = handle.read(4096)
            if not chunk:
                break
            head += chunk
        if not head.strip():
            return
        start = len(head) - len(head.lstrip(b"\r\n"))
        problem = ""
        length = -1
        header_end = head.find(b"\r\n\r\n", start)
        if not head[start:].startswith(_WARC_MAGIC):
            problem = "no WARC/1.x header where a record should start"
        elif header_end < 0:
            problem = "truncated or oversized record header"
        else:
            length = _content_length(bytes(head[start:header_end]))
            if length < 0:
                problem = "record header has no valid Content-Length"
            elif length > max_bytes:
                problem = f"record larger than {max_bytes} bytes"
        if not problem:
            block_start = offset + header_end + 4
            handle.seek(block_start)
            block = handle.read(length)
            if len(block) < length:
                yield _Unit(offset + start, None, f"truncated record: {len(block)} of {length} bytes")
                return
            data = bytes(head[start : header_end + 4]) + block + b"\r\n\r\n"
            yield _Unit(offset + start, data)
            offset = block_start + length
            handle.seek(offset)
            trailer = handle.read(4)
            offset += len(trailer) - len(trailer.lstrip(b"\r\n"))
            continue
        yield _Unit(offset + start, None, problem)
        next_record = _find(handle, b"\n" + _WARC_MAGIC, offset + start + 1)
        if next_record is None:
            return
        offset = next_record + 1


def _arc_units(handle: BinaryIO, max_bytes: int) -> Iterator[_Unit]:
    """One unit per record of an uncompressed ARC file, framed by the length in its header line."""
    offset = 0
    while True:
        handle.seek(offset)
        head = handle.read(_MAX_HEADER_BYTES)
        start = len(head) - len(head.lstrip(b"\r\n"))
        if not head[start:].strip():
            return
        found = _ARC_HEADER.match(head, start)
        length = int(found.group(1)) if found and found.group(1).isdigit() else -1
        problem = ""
        if found is None:
            problem = "no ARC record header where a record should start"
        elif length < 0:
            problem = f"ARC record header has no valid length ({found.group(1).decode('latin-1')!r})"
        elif length > max_bytes:
            problem = f"record larger than {max_bytes} bytes"
        if found is not None and not problem:
            handle.seek(offset + found.end())
            block = handle.read(length)
            if len(block) < length:
                # ARC writers miscount lengths (a URL's spaces escaped or not): the end of the file
                # ends the record, as warcio reads it; the shortfall is recorded all the same.
                short = f"ARC record shorter than its header says ({len(block)} of {length} bytes)"
                yield _Unit(offset + start, None, short)
            if len(block) < length:
                yield _Unit(offset + start, head[start : found.end()] + block)
                return
            yield _Unit(offset + start, head[start : found.end()] + block + b"\n")
            offset += found.end() + length
            continue
        yield _Unit(offset + start, None, problem)
        line_end = head.find(b"\n", start)
        next_record = _find(handle, b"\nhttp", offset + max(line_end, start) + 1) if line_end >= 0 else None
        if next_record is None:
            return
        offset = next_record + 1


def _content_length(header_block: bytes) -> int:
    for line in header_block.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            text = value.strip()
            return int(text) if text.isdigit() else -1
    return -1


def _find(handle: BinaryIO, needle: bytes, start: int) -> int | None:
    """The offset of the next `needle` at or after `start`, scanning in chunks."""
    position = start
    handle.seek(position)
    carry = b""
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            return None
        window = carry + chunk
        found = window.find(needle)
        if found >= 0:
            return position - len(carry) + found
        carry = window[-(len(needle) - 1) :]
        position += len(chunk)
