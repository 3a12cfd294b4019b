"""A real HTTP/1.1 server on 127.0.0.1 that misbehaves on request, and records what it saw.

It runs its own event loop in a thread, speaks HTTP over real sockets (keep-alive included), and
keeps, per Host header, every request's path, headers and start time and the most requests it
ever had in flight at once, so tests can assert politeness from the server's side.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import struct
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qs, urlsplit

from tests.support.loopback import LoopbackServer, Seen

PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
    "<body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
)
POUND_PAGE_1252 = (
    "<html><head><title>Funding</title></head><body><article><h1>Funding</h1>"
    "<p>The institutes share £170 million – a “record” sum for technical education in England.</p>"
    "</article></body></html>"
).encode("windows-1252")


class FaultServer(LoopbackServer):
    def __init__(self, robots: str | None = "User-agent: *\nDisallow: /private/\n", robots_status: int = 200) -> None:
        super().__init__()
        self.robots = robots
        self.robots_status = robots_status
        self.robots_location: str | None = None
        self.max_in_flight: Counter[str] = Counter()
        self._in_flight: Counter[str] = Counter()
        self._hits: Counter[str] = Counter()

    # ---- HTTP ------------------------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                _method, target, _version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        key, value = line.split(":", 1)
                        headers[key.strip().lower()] = value.strip()
                host = headers.get("host", "").split(":")[0]
                self.requests.append(Seen(target, host, headers, time.monotonic()))
                self._in_flight[host] += 1
                self.max_in_flight[host] = max(self.max_in_flight[host], self._in_flight[host])
                try:
                    keep_open = await self._respond(target, headers, writer)
                finally:
                    self._in_flight[host] -= 1
                if not keep_open:
                    return
        finally:
            self._writers.discard(writer)
            if not writer.is_closing():
                writer.close()

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        *,
        content_type: str = "text/html; charset=utf-8",
    ) -> bool:
        head = {"Content-Type": content_type, "Content-Length": str(len(body)), **(headers or {})}
        text = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()) + "\r\n"
        writer.write(text.encode("latin-1") + body)
        await writer.drain()
        return True

    async def _respond(self, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> bool:
        parts = urlsplit(target)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        self._hits[path] += 1
        hits = self._hits[path]
        if "delay" in query:
            await asyncio.sleep(float(query["delay"]))

        if path == "/robots.txt":
            if self.robots is None:
                return await self._send(writer, 404, b"not found", content_type="text/plain")
            moved = {"Location": self.robots_location} if self.robots_location else None
            return await self._send(writer, self.robots_status, self.robots.encode(), moved, content_type="text/plain")
        if path.startswith("/page/") or path.startswith("/private/"):
            body = PAGE.format(title=path, text=f"Page {path} about Institutes of Technology.").encode()
            return await self._send(writer, 200, body)
        if path.startswith("/flaky/"):
            fail, code = int(query.get("fail", "2")), int(query.get("code", "503"))
            if hits <= fail:
                return await self._send(writer, code, b"<p>try again</p>")
            return await self._send(writer, 200, PAGE.format(title="flaky", text="recovered").encode())
        if path.startswith("/ratelimited/"):
            if hits == 1:
                when = query.get("after", "1")
                value = (
                    format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True) if when == "date" else when
                )
                return await self._send(writer, 429, b"slow down", {"Retry-After": value})
            return await self._send(writer, 200, PAGE.format(title="rate", text="allowed now").encode())
        if path == "/slow":
            await asyncio.sleep(float(query.get("for", "3")))
            return await self._send(writer, 200, PAGE.format(title="slow", text="late").encode())
        if path.startswith("/reset"):
            if hits <= int(query.get("times", "99")):
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return False
            return await self._send(writer, 200, PAGE.format(title="reset", text="fine now").encode())
        if path.startswith("/truncated"):
            if hits <= int(query.get("times", "99")):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<p>only part")
                await writer.drain()
                writer.close()
                return False
            return await self._send(writer, 200, PAGE.format(title="truncated", text="whole now").encode())
        if path == "/gzip":
            body = gzip.compress(PAGE.format(title="gzip", text="compressed £170m").encode())
            return await self._send(writer, 200, body, {"Content-Encoding": "gzip"})
        if path == "/gzip-bomb":
            body = gzip.compress(b"<p>" + b"A" * 5_000_000 + b"</p>")
            return await self._send(writer, 200, body, {"Content-Encoding": "gzip"})
        if path == "/charset/missing":
            return await self._send(writer, 200, POUND_PAGE_1252, content_type="text/html")
        if path == "/charset/wrong":
            return await self._send(writer, 200, POUND_PAGE_1252, content_type="text/html; charset=utf-8")
        if path.startswith("/redirect/chain/"):
            left = int(path.rsplit("/", 1)[1])
            if left == 0:
                return await self._send(writer, 200, PAGE.format(title="arrived", text="end of chain").encode())
            return await self._send(writer, 302, b"", {"Location": f"/redirect/chain/{left - 1}"})
        if path == "/redirect/loop/a":
            return await self._send(writer, 302, b"", {"Location": "/redirect/loop/b"})
        if path == "/redirect/loop/b":
            return await self._send(writer, 301, b"", {"Location": "/redirect/loop/a"})
        if path.startswith("/moved/"):
            return await self._send(writer, 301, b"", {"Location": "/etag/" + path.rsplit("/", 1)[1]})
        if path == "/redirect/private":
            return await self._send(writer, 302, b"", {"Location": "/private/secret"})
        if path == "/big":
            return await self._send(writer, 200, b"<p>" + b"x" * 300_000 + b"</p>")
        if path == "/big-chunked":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(40):
                chunk = b"y" * 10_000
                writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            writer.write(b"0\r\n\r\n")
            await writer.drain()
            return True
        if path.startswith("/etag/"):
            etag = '"v1"'
            if headers.get("if-none-match") == etag:
                return await self._send(writer, 304, b"", {"ETag": etag})
            body = PAGE.format(title="etag", text="stable").encode()
            return await self._send(writer, 200, body, {"ETag": etag, "Last-Modified": "Wed, 10 Apr 2019 08:00:00 GMT"})
        if path == "/image":
            return await self._send(writer, 200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, content_type="image/png")
        if path == "/typed":  # a small body served as ?type=... says
            return await self._send(writer, 200, b"https://example.org/a\n", content_type=query["type"])
        return await self._send(writer, 404, b"<p>not found</p>")
