"""Scanning one CC-NEWS WARC file: the unit of work a backfill spreads over workers.

`scan_file` takes plain, picklable data and returns a compact result: the few records that passed
the host and byte prefilters, already extracted, plus counts. It touches no database, so it runs in
any process (a Dask worker) while the caller's process alone writes the warehouse.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from iot_ingest.archive import Capture, RecordProblem
from iot_ingest.ccnews.stream import RangeStream
from iot_ingest.fetch import Attempt, FetchSettings
from iot_ingest.ingest.process import ExtractedCapture, process_capture
from iot_ingest.sources.prefilter import RawPrefilter, raw_prefilter
from iot_ingest.topics import TopicSet

__all__ = ["FileScan", "RecordFilter", "ScanTask", "ScannedRecord", "iter_passing", "scan_file"]

Reader = Literal["fastwarc", "warcio"]
# The payload as stored is decoded (auto_decode below); headers must not claim an encoding.
_ENCODING_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class ScanTask:
    """One WARC file to scan, and how."""

    source: str
    url: str  # where the file is served
    path: str  # its path in the crawl (`crawl-data/CC-NEWS/...`): the unit's key
    fetch: FetchSettings
    topics: TopicSet
    host_suffixes: tuple[str, ...] = ()
    reader: Reader = "fastwarc"


@dataclass(frozen=True)
class ScannedRecord:
    """A record that passed the prefilters, with where it sits in the CC-NEWS file."""

    offset: int
    item: ExtractedCapture


@dataclass
class FileScan:
    path: str
    counts: Counter[str] = field(default_factory=Counter)
    records: list[ScannedRecord] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class RecordFilter:
    """Host first (free), then the topic's byte prefilter, before any HTML parsing."""

    host_suffixes: tuple[str, ...]
    prefilter: RawPrefilter

    def host_wanted(self, url: str) -> bool:
        if not self.host_suffixes:
            return True
        host = _host(url)
        return host.endswith(self.host_suffixes) or ("." + host) in self.host_suffixes


def scan_file(task: ScanTask) -> FileScan:
    """Stream one WARC file, keep what may be on the topic, extract it. Raises when the file cannot
    be read to its end (the unit is then recorded as failed and retried by the next run)."""
    started = time.perf_counter()
    scan = FileScan(task.path)
    keep = RecordFilter(tuple(s.lower() for s in task.host_suffixes), raw_prefilter(task.topics))
    stream = RangeStream(task.url, task.fetch)
    try:
        for offset, capture in iter_passing(stream, keep, scan, task.reader, Path(task.path)):
            item = process_capture(Capture(*capture, origin="import", source=task.source), task.topics)
            scan.counts["extracted"] += item.article is not None
            scan.counts["relevant"] += item.relevant
            scan.records.append(ScannedRecord(offset, item))
    finally:
        stream.close()
        scan.attempts = stream.attempts
        scan.counts["bytes"] = stream.position
        scan.counts["resumed"] = stream.resumes
        scan.seconds = time.perf_counter() - started
    return scan


_CaptureParts = tuple[str, datetime, int, tuple[tuple[str, str], ...], bytes]


def iter_passing(
    stream: io.RawIOBase, keep: RecordFilter, scan: FileScan, reader: Reader, label: Path
) -> Iterator[tuple[int, _CaptureParts]]:
    """(offset, capture fields) of each response record that passes `keep`; counts go to `scan`."""
    if reader == "fastwarc":
        try:
            return _fastwarc(stream, keep, scan, label)
        except ImportError:
            pass
    return _warcio(stream, keep, scan, label)


def _fastwarc(
    stream: io.RawIOBase, keep: RecordFilter, scan: FileScan, label: Path
) -> Iterator[tuple[int, _CaptureParts]]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    records = ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=False)

    def passing() -> Iterator[tuple[int, _CaptureParts]]:
        # Plain local counters: most records stop at the host or byte check, so per-record
        # bookkeeping shows in the scan rate.
        read = off_host = prefiltered = 0
        wanted, may_match = keep.host_wanted, keep.prefilter.may_match
        try:
            for record in records:
                read += 1
                url = record.headers.get("WARC-Target-URI")
                if not url:
                    _broken(scan, label, record.stream_pos, "response record names no target", None)
                    continue
                url = url.strip("<> ")
                if not wanted(url):
                    off_host += 1
                    continue
                try:
                    record.parse_http(auto_decode="all")
                except (OSError, ValueError) as exc:
                    _broken(scan, label, record.stream_pos, f"unreadable HTTP block: {exc}", url)
                    continue
                status = record.http_headers.status_code
                if status is None:
                    _broken(scan, label, record.stream_pos, "response record holds no HTTP response", url)
                    continue
                body = record.reader.read()
                if not may_match(body):
                    prefiltered += 1
                    continue
                scan.counts["passed"] += 1
                headers = tuple((k, v) for k, v in record.http_headers.items() if k.lower() not in _ENCODING_HEADERS)
                yield record.stream_pos, (url, record.record_date.astimezone(UTC), status, headers, body)
        finally:
            scan.counts.update(records=read, off_host=off_host, prefiltered=prefiltered)

    return passing()


def _warcio(
    stream: io.RawIOBase, keep: RecordFilter, scan: FileScan, label: Path
) -> Iterator[tuple[int, _CaptureParts]]:
    """The fallback reader: slower, and it gives up at the first record it cannot frame."""
    from warcio.archiveiterator import ArchiveIterator

    counts = scan.counts
    records = ArchiveIterator(io.BufferedReader(stream, 1 << 16), no_record_parse=True)
    try:
        for record in records:
            if record.rec_type != "response":
                continue
            counts["records"] += 1
            # Asked before the record is read, warcio reads it to the end to answer.
            url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
            if not url:
                _broken(scan, label, records.get_record_offset(), "response record names no target", None)
                continue
            if not keep.host_wanted(url):
                counts["off_host"] += 1
                continue
            record.http_headers = records.loader.load_http_headers("response", url, record.raw_stream, record.length)
            status = (record.http_headers.get_statuscode() or "") if record.http_headers else ""
            if not status.isdigit():
                _broken(scan, label, records.get_record_offset(), "response record holds no HTTP response", url)
                continue
            body = record.content_stream().read()
            if not keep.prefilter.may_match(body):
                counts["prefiltered"] += 1
                continue
            counts["passed"] += 1
            headers = tuple(
                (str(k), str(v)) for k, v in record.http_headers.headers if k.lower() not in _ENCODING_HEADERS
            )
            when = _warc_date(record.rec_headers.get_header("WARC-Date") or "")
            yield records.get_record_offset(), (url, when, int(status), headers, body)
    except Exception as exc:  # warcio cannot resync after a bad record: the rest of the file is lost
        _broken(scan, label, records.offset, f"unreadable from here on: {type(exc).__name__}: {exc}", None)


def _broken(scan: FileScan, label: Path, offset: int, reason: str, url: str | None) -> None:
    scan.counts["broken"] += 1
    scan.problems.append(RecordProblem(label, offset, reason, url))


def _warc_date(text: str) -> datetime:
    when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _host(url: str) -> str:
    """The host of an absolute URL, lower-cased, without port or credentials: cheaper than urlsplit."""
    rest = url.partition("://")[2]
    authority = rest.split("/", 1)[0].split("?", 1)[0].rpartition("@")[2]
    if authority.startswith("["):
        return authority.split("]", 1)[0] + "]"
    return authority.split(":", 1)[0].lower().rstrip(".")
