"""A WARC file read over HTTP as a stream: never a local copy, a broken download resumed by range.

Made with the polite client's settings (User-Agent, timeouts, retries with backoff, the address
guard before connecting and on the connected peer). robots.txt and the host's rate were already
honoured when the month's `warc.paths.gz` was fetched through the client: a worker opens one
request per file (plus one per resume), so a cluster's load on the host is its worker count.
"""

from __future__ import annotations

import asyncio
import io
import random
import ssl
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import httpx

from iot_ingest.fetch import AddressGuard, Attempt, FetchSettings
from iot_ingest.fetch.retry import backoff_delay

__all__ = ["DownloadFailed", "RangeStream"]

_CHUNK = 1 << 16


class DownloadFailed(Exception):
    """The file could not be read to its end, even resuming from where it broke."""


def _run(check: Coroutine[Any, Any, None]) -> None:
    """The async address guard from synchronous code, also where an event loop is running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(check)
        return
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, check).result()


@cache
def _tls_context() -> ssl.SSLContext:
    """One per process: loading the CA bundle costs more than scanning a small WARC file."""
    return ssl.create_default_context()


class RangeStream(io.RawIOBase):
    """A read-only file over one HTTP resource; `attempts` records every request it made."""

    def __init__(self, url: str, settings: FetchSettings, *, rng: random.Random | None = None) -> None:
        super().__init__()
        self.url = url
        self.settings = settings
        self.attempts: list[Attempt] = []
        self.position = 0
        self.size: int | None = None
        self.resumes = 0
        self._rng = rng or random.Random()
        self._guard = AddressGuard(settings.allow_private_hosts)
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "identity"},
            timeout=httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s),
            follow_redirects=False,
            trust_env=False,
            verify=_tls_context(),
        )
        self._response: httpx.Response | None = None
        self._chunks: Iterator[bytes] | None = None
        self._pending = memoryview(b"")
        self._opened_at = 0
        self._failures = 0  # in a row, without a byte read in between
        self._broke_at = -1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        while not self._pending:
            if self.size is not None and self.position >= self.size:
                return 0
            try:
                if self._chunks is None:
                    self._open()
                assert self._chunks is not None
                self._pending = memoryview(next(self._chunks, b""))
            except (httpx.TransportError, httpx.StreamError) as exc:
                self._broken(f"{type(exc).__name__}: {exc}")
                continue
            if not self._pending:
                if self.size is None or self.position >= self.size:
                    return 0
                self._broken(f"connection closed at byte {self.position} of {self.size}")
        count = min(len(view), len(self._pending))
        view[:count] = self._pending[:count]
        self._pending = self._pending[count:]  # a view: no copy of what is left
        self.position += count
        return count

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Only where the stream already is, or forward (skipping bytes): readers ask for `tell()`."""
        target = {io.SEEK_SET: offset, io.SEEK_CUR: self.position + offset}.get(whence)
        if target is None or target < self.position:
            raise io.UnsupportedOperation(f"cannot seek back in a download (to {offset}, whence {whence})")
        while self.position < target:
            if not self.read(min(_CHUNK, target - self.position)):
                break
        return self.position

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        self._drop_response()
        self._client.close()
        super().close()

    def _open(self) -> None:
        _run(self._guard.check_url(self.url))
        headers = {"Range": f"bytes={self.position}-"} if self.position else {}
        started, clock = datetime.now(UTC), time.monotonic()
        request = self._client.build_request("GET", self.url, headers=headers)
        response = self._client.send(request, stream=True)
        self._check_peer(response)
        status = response.status_code
        self.attempts.append(Attempt(self.url, started, status, None, round((time.monotonic() - clock) * 1000, 1), 0))
        if status not in (200, 206):
            response.close()
            raise DownloadFailed(f"HTTP {status} for {self.url}")
        skip = 0
        if self.position and status == 200:
            skip = self.position  # the server ignores Range: read past what was already had
        total = response.headers.get("content-length", "")
        if status == 206:
            total = response.headers.get("content-range", "").rpartition("/")[2]
        if total.isdigit():
            self.size = int(total)
        self._response, self._opened_at = response, self.position
        self._chunks = self._skipping(response.iter_raw(), skip)  # as received: no re-chunking copies

    @staticmethod
    def _skipping(chunks: Iterator[bytes], skip: int) -> Iterator[bytes]:
        for chunk in chunks:
            if skip >= len(chunk):
                skip -= len(chunk)
                continue
            yield chunk[skip:]
            skip = 0

    def _broken(self, reason: str) -> None:
        self._drop_response()
        self.attempts.append(Attempt(self.url, datetime.now(UTC), None, f"{reason} (resuming)", 0.0, 0))
        self._failures = 1 if self.position > self._broke_at else self._failures + 1
        self._broke_at = self.position
        if self._failures >= self.settings.max_attempts:
            raise DownloadFailed(f"{self.url}: {reason}, after {self._failures} attempts")
        self.resumes += 1
        delay = backoff_delay(self._failures - 1, self.settings.backoff_base_s, self.settings.backoff_cap_s, self._rng)
        time.sleep(delay)

    def _drop_response(self) -> None:
        if self._response is not None:
            self._response.close()
            # The attempt that opened this response: how many bytes it gave.
            opened = max(i for i, a in enumerate(self.attempts) if a.status is not None)
            self.attempts[opened] = replace(self.attempts[opened], bytes=self.position - self._opened_at)
        self._response, self._chunks = None, None

    def _check_peer(self, response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if peer:
            self._guard.check_address(urlsplit(self.url).hostname or "", str(peer[0]))
