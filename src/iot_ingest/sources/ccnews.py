"""Common Crawl News: a month's WARC files, listed in `crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz`.

CC-NEWS is read by backfill only, a month at a time, one WARC file per unit of work (see
`iot_ingest.ccnews`): an incremental run discovers nothing from it.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

from iot_ingest.config import CCNewsSource
from iot_ingest.sources.base import Discovered, DiscoveryFailed, MonthlyBackfill, SourceContext, Window

__all__ = ["CCNews", "files_in_window", "months_of", "parse_paths", "paths_url"]

# CC-NEWS-20190401000000-00000.warc.gz: the time the file's crawl began.
_FILE_TIME = re.compile(r"CC-NEWS-(\d{14})-\d+\.warc(\.gz)?$")


class CCNews(MonthlyBackfill):
    def __init__(self, config: CCNewsSource) -> None:
        self.config = config

    async def discover(self, ctx: SourceContext, window: Window | None) -> AsyncIterator[Discovered]:
        """Nothing: CC-NEWS months are scanned by `backfill`, file by file, not page by page."""
        return
        yield  # an async generator that yields nothing


def paths_url(base_url: str, month: date) -> str:
    return f"{base_url.rstrip('/')}/crawl-data/CC-NEWS/{month.year:04d}/{month.month:02d}/warc.paths.gz"


def months_of(window: Window) -> list[date]:
    """The first day of every calendar month the window touches."""
    months, current = [], window.since.replace(day=1)
    while current <= window.until:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def parse_paths(body: bytes) -> list[str]:
    """The WARC file paths of a `warc.paths.gz` (gzipped, or already decoded by the server)."""
    try:
        text = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
    except (OSError, EOFError, zlib.error) as exc:
        raise DiscoveryFailed(f"warc.paths.gz is not readable: {exc}") from None
    paths = [line.strip() for line in text.decode("utf-8", "replace").splitlines() if line.strip()]
    bad = [p for p in paths if p.startswith("/") or ".." in p.split("/") or "://" in p]
    if bad:
        raise DiscoveryFailed(f"warc.paths.gz names an unexpected path: {bad[0]!r}")
    return paths


def files_in_window(paths: list[str], window: Window) -> list[str]:
    """Files whose crawl began in the window, or the day before (a file spans hours). A name
    without a time is kept: better read once too often than missed."""
    kept = []
    for path in paths:
        found = _FILE_TIME.search(path)
        if found is None:
            kept.append(path)
            continue
        began = datetime.strptime(found.group(1), "%Y%m%d%H%M%S").date()
        if window.since - timedelta(days=1) <= began <= window.until:
            kept.append(path)
    return kept
