"""A loopback fake of the Common Crawl data host for CC-NEWS: `warc.paths.gz` per month and
generated CC-NEWS-like WARC.gz files, served with Range support.

A month holds about 1% on-topic UK pages among many off-topic pages from many hosts, plus hard
negatives, non-HTML responses, request and metadata records, and broken records. The server can
cut a download short once (the client must resume with a Range request) or stall part-way through
a file (for tests that kill a backfill mid-file). Used by the tests and by `bench/ccnews.py`.
"""

from __future__ import annotations

import gzip
import random
import threading
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

from tests.support.ccnews_pages import HARD_NEGATIVES, OFF_HOST, ON_TOPIC, Story, filler_page, page_html

__all__ = ["CCNewsHost", "FakeMonth", "build_month"]

_TLDS = (".co.uk", ".com", ".org.uk", ".de", ".fr", ".com.au", ".ie", ".ac.uk", ".net", ".es", ".in", ".ca")
_NAMES = [
    "daily-post",
    "gazette",
    "chronicle",
    "herald",
    "courier",
    "express",
    "mercury",
    "echo",
    "observer",
    "telegraph",
    "times",
    "journal",
    "news-today",
    "bulletin",
    "standard",
    "argus",
    "sentinel",
    "record",
    "tribune",
    "star",
]


@dataclass
class FakeMonth:
    """One month of fake CC-NEWS: its files (path -> WARC.gz bytes) and what was planted where."""

    year: int
    month: int
    files: dict[str, bytes] = field(default_factory=dict)
    on_topic_urls: list[str] = field(default_factory=list)  # UK, relevant: a backfill must load these
    off_host_urls: list[str] = field(default_factory=list)  # relevant, outside `.uk`
    hard_negative_urls: list[str] = field(default_factory=list)
    records: int = 0  # response records, broken ones included (request records are not counted)

    @property
    def prefix(self) -> str:
        return f"crawl-data/CC-NEWS/{self.year:04d}/{self.month:02d}/"

    @property
    def paths_gz(self) -> bytes:
        return gzip.compress("".join(f"{path}\n" for path in self.files).encode(), mtime=0)


def build_month(
    year: int,
    month: int,
    *,
    files: int = 3,
    records_per_file: int = 300,
    seed: int = 2019,
    on_topic_every: int = 100,
) -> FakeMonth:
    """A month of `files` WARC.gz files with `records_per_file` response records each.

    One record in `on_topic_every` is an on-topic UK page (the stories cycle, each copy at its own
    URL); hard negatives, an off-host report, non-HTML and broken records are mixed in.
    """
    rng = random.Random(seed)
    fake = FakeMonth(year, month)
    hosts = [f"www.{rng.choice(_NAMES)}-{i}{rng.choice(_TLDS)}" for i in range(240)]
    start = datetime(year, month, 1, 6, tzinfo=UTC)  # pages published two hours before: in the month
    planted = 0
    specials: list[tuple[str, Story]] = [("negative", s) for s in HARD_NEGATIVES] + [("off_host", s) for s in OFF_HOST]
    for number in range(files):
        stamp = (start + timedelta(days=number * 27 // max(files, 1))).strftime("%Y%m%d%H%M%S")
        path = f"{fake.prefix}CC-NEWS-{stamp}-{number:05d}.warc.gz"
        out = bytearray(_member(_warcinfo(path, start)))
        for index in range(records_per_file):
            when = start + timedelta(days=number * 27 // max(files, 1), seconds=index * 37 + number)
            roll = rng.random()
            slot = number * records_per_file + index
            if slot % on_topic_every == on_topic_every // 2:
                story = ON_TOPIC[planted % len(ON_TOPIC)]
                url = f"https://{story.host}/news/{story.slug}" + (
                    f"?copy={planted}" if planted >= len(ON_TOPIC) else ""
                )
                fake.on_topic_urls.append(url)
                planted += 1
                out += _member(_response(url, when, _html(story, when, rng)))
            elif specials and index == 7:
                kind, story = specials.pop()
                url = f"https://{story.host}/news/{story.slug}"
                (fake.hard_negative_urls if kind == "negative" else fake.off_host_urls).append(url)
                out += _member(_response(url, when, _html(story, when, rng)))
            elif index in (11, 13):  # in every file, a broken record from a UK host
                out += _member(_broken(f"https://www.broken-news.co.uk/news/{slot}", when, index == 11))
            elif roll < 0.04:
                out += _member(
                    _response(f"https://{rng.choice(hosts)}/img/{slot}.jpg", when, rng.randbytes(3000), "image/jpeg")
                )
            elif roll < 0.06:
                body = b'{"items": [' + b",".join(b'{"id": %d}' % i for i in range(rng.randint(5, 60))) + b"]}"
                out += _member(
                    _response(f"https://{rng.choice(hosts)}/api/{slot}.json", when, body, "application/json")
                )
            elif roll < 0.07:
                out += _member(_broken(f"https://{rng.choice(hosts)}/news/{slot}", when, rng.random() < 0.5))
            elif roll < 0.08:
                out += _member(_request(f"https://{rng.choice(hosts)}/news/{slot}", when))
                continue  # not a response record
            else:
                host = rng.choice(hosts)
                story = filler_page(rng, host, f"story-{slot}")
                out += _member(_response(f"https://{host}/news/story-{slot}", when, _html(story, when, rng)))
            fake.records += 1
        fake.files[path] = bytes(out)
    return fake


def _html(story: Story, when: datetime, rng: random.Random) -> bytes:
    return page_html(story, (when - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+00:00"), rng).encode()


def _member(record: bytes) -> bytes:
    """One gzip member per record, as Common Crawl writes them."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    return packer.compress(record) + packer.flush()


def _warc(kind: str, url: str | None, when: datetime, block: bytes, extra: str = "", content_type: str = "") -> bytes:
    lines = [
        "WARC/1.0",
        f"WARC-Type: {kind}",
        f"WARC-Date: {when.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{kind} {url} {when.isoformat()} {len(block)}')}>",
    ]
    if url:
        lines.append(f"WARC-Target-URI: {url}")
    lines.append(f"Content-Type: {content_type or 'application/http; msgtype=' + kind}")
    if extra:
        lines.append(extra)
    lines.append(f"Content-Length: {len(block)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def _warcinfo(path: str, when: datetime) -> bytes:
    block = f"software: fake-ccnews\r\nformat: WARC File Format 1.1\r\nfilename: {path}\r\n".encode()
    return _warc("warcinfo", None, when, block, content_type="application/warc-fields")


def _response(url: str, when: datetime, body: bytes, mime: str = "text/html; charset=UTF-8") -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {mime}\r\nContent-Length: {len(body)}\r\nServer: nginx\r\n\r\n"
    return _warc("response", url, when, head.encode() + body)


def _request(url: str, when: datetime) -> bytes:
    host = url.split("/")[2]
    block = f"GET /{url.split('/', 3)[3]} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: CCBot\r\n\r\n".encode()
    return _warc("request", url, when, block)


def _broken(url: str, when: datetime, garbage: bool) -> bytes:
    """A record a real crawl sometimes holds: a response whose HTTP block is not HTTP at all, or
    one that names no target."""
    if garbage:
        return _warc("response", url, when, b"\x00\x01garbage that is no HTTP response" + bytes(range(200)))
    body = b"<html><body><p>no target</p></body></html>"
    return _warc("response", None, when, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body)


class CCNewsHost:
    """Serves fake months over HTTP on 127.0.0.1, honouring `Range: bytes=N-`.

    `cut_once[path] = n` closes the connection after n bytes of the first full download of `path`;
    `stall[path] = n` sends n bytes of every download of `path` and then waits until stopped;
    a path in `gone` answers 404 though the month's list names it.
    """

    def __init__(self, *months: FakeMonth) -> None:
        self.months = list(months)
        self.cut_once: dict[str, int] = {}
        self.stall: dict[str, int] = {}
        self.gone: set[str] = set()
        self.requests: list[tuple[str, str | None]] = []  # (path, Range header)
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def body(self, path: str) -> bytes | None:
        for month in self.months:
            if path == f"{month.prefix}warc.paths.gz":
                return month.paths_gz
            if path in month.files:
                return month.files[path]
        return None

    def start(self) -> Self:
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                host._serve(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="ccnews-fake", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.lstrip("/").split("?", 1)[0]
        wanted = handler.headers.get("Range")
        self.requests.append((path, wanted))
        if path == "robots.txt":
            self._send(handler, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            return
        body = None if path in self.gone else self.body(path)
        if body is None:
            self._send(handler, 404, b"not found", "text/plain")
            return
        mime = "application/octet-stream"
        start = 0
        if wanted and wanted.startswith("bytes=") and wanted[6:].rstrip("-").isdigit():
            start = int(wanted[6:].rstrip("-"))
            if start >= len(body):
                self._send(handler, 416, b"", mime)
                return
        part = body[start:]
        handler.send_response(206 if start else 200)
        handler.send_header("Content-Type", mime)
        handler.send_header("Accept-Ranges", "bytes")
        handler.send_header("Content-Length", str(len(part)))
        if start:
            handler.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        handler.end_headers()
        limit = len(part)
        stalled = path in self.stall
        if stalled:
            limit = max(0, self.stall[path] - start)
        elif not start and path in self.cut_once:
            limit = self.cut_once.pop(path)
            handler.close_connection = True
        try:
            for offset in range(0, limit, 1 << 16):
                handler.wfile.write(part[offset : min(limit, offset + (1 << 16))])
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
        if stalled:
            while not self._stopping.wait(0.2):
                pass
        if limit < len(part):
            handler.close_connection = True
            time.sleep(0.05)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, mime: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", mime)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
