"""A minimal keep-alive HTTP server on 127.0.0.1 for benchmarks: every path is a small page.

Run as a separate process so its CPU time is not counted against the client being measured.
"""

from __future__ import annotations

import asyncio
import sys

PAGE = (
    b"<!doctype html><html><head><meta charset='utf-8'><title>Institutes of Technology</title></head><body>"
    b"<article><h1>Twelve Institutes of Technology announced</h1>"
    + b"<p>Colleges, universities and employers will deliver higher technical education.</p>" * 20
    + b"</article></body></html>"
)
ROBOTS = b"User-agent: *\nAllow: /\n"


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1]
            body, kind = (ROBOTS, b"text/plain") if path == b"/robots.txt" else (PAGE, b"text/html; charset=utf-8")
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: "
                + kind
                + b"\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main() -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
