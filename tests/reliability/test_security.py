"""Security properties, tested without a byte leaving the machine: stub resolvers, mock transports
and a loopback listener that counts who called it.

Already covered elsewhere and not repeated here: the basic SSRF cases (tests/unit/test_fetch_guard.py),
billion laughs and file XXE in a feed (tests/unit/test_source_parsing.py), a gzip bomb against the
fetch body limit (tests/integration/test_fetch.py), writes refused by `query` (tests/cli/test_cli.py).
"""

from __future__ import annotations

import asyncio
import gzip
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from iot_ingest.archive import Capture, RawArchive, WarcResponse, iter_warc
from iot_ingest.demo import sample_captures
from iot_ingest.fetch import AddressGuard, BlockedAddress, Fetcher, FetchOutcome, FetchSettings
from iot_ingest.sources.xml import MAX_XML_BYTES, UnsafeXml, parse_xml
from tests.conftest import CliResult, write_warc
from tests.support.crash import completed, import_argv

# What getaddrinfo would answer for names that hide a private address.
DNS = {
    "www.gov.uk": ["151.101.0.144"],
    "127.1": ["127.0.0.1"],
    "2130706433": ["127.0.0.1"],
    "0x7f.1": ["127.0.0.1"],
    "localhost.": ["127.0.0.1", "::1"],
    "compat.example": ["::7f00:1"],
    "sitelocal.example": ["fec0::1"],
    "multicast.example": ["224.0.0.251"],
    "multicast6.example": ["ff02::fb"],
    "cgnat.example": ["100.64.0.1"],
    "benchmark.example": ["198.18.0.1"],
}


async def fake_resolver(host: str, port: int) -> list[str]:
    if host not in DNS:
        raise OSError("Name or service not known")
    return DNS[host]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://LOCALHOST./",
        "http://www.gov.uk@127.0.0.1/",  # userinfo that looks like a host
        "http://compat.example/",
        "http://[::127.0.0.1]/",  # IPv4-compatible IPv6
        "http://[::]/",
        "http://sitelocal.example/",
        "http://multicast.example/",
        "http://224.0.0.1/",
        "http://multicast6.example/",
        "http://cgnat.example/",
        "http://benchmark.example/",
        "http://[fe80::1%25eth0]/",
    ],
)
def test_the_guard_judges_the_address_not_the_spelling(url: str) -> None:
    guard = AddressGuard(frozenset(), fake_resolver)
    with pytest.raises(BlockedAddress):
        asyncio.run(guard.check_url(url))


def test_a_blocked_url_never_reaches_the_transport() -> None:
    sent: list[str] = []

    def transport(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, html="<p>should never be read</p>")

    settings = FetchSettings(user_agent="test/1 (+mailto:t@example.org)", respect_robots=False)

    async def go() -> list[FetchOutcome]:
        async with Fetcher(settings, resolver=fake_resolver, transport=httpx.MockTransport(transport)) as fetcher:
            return [await fetcher.fetch(u) for u in ("http://127.1/admin", "http://compat.example/", "file:///x")]

    outcomes = asyncio.run(go())
    assert sent == []
    assert all(o.skipped and o.capture is None for o in outcomes)


# ---- XML ---------------------------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records every connection's first bytes."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                seen.append(conn.recv(1024))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], seen
    finally:
        stop.set()
        thread.join()
        server.close()


def _lol(depth: int = 9) -> str:
    entities = '<!ENTITY l0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, depth + 1)
    )
    return f"<!DOCTYPE rss [{entities}]>"


@pytest.mark.parametrize(
    "data",
    [
        # The declaration past the first 64 KiB, behind a comment.
        b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b"-->" + _lol().encode() + b"<rss>&l9;</rss>",
        # UTF-16: no `<!ENTITY` bytes to find.
        ('<?xml version="1.0" encoding="UTF-16"?>' + _lol() + "<rss>&l9;</rss>").encode("utf-16"),
        (
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>'
        ).encode("utf-16"),
        gzip.compress(b'<?xml version="1.0"?>' + _lol().encode() + b"<urlset>&l9;</urlset>"),
    ],
    ids=["padded", "utf-16", "utf-16-xxe", "gzipped"],
)
def test_entity_declarations_are_refused_however_they_are_hidden(data: bytes) -> None:
    with pytest.raises(UnsafeXml, match="entity declarations"):
        parse_xml(data)


def test_no_dtd_or_external_entity_is_ever_fetched(listener: tuple[int, list[bytes]]) -> None:
    port, seen = listener
    base = f"http://127.0.0.1:{port}"
    documents = [
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{base}/rss.dtd"><rss><channel/></rss>',
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "{base}/p.dtd"> %p;]><rss/>',
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{base}/x">]><rss>&x;</rss>',
        f'<rss xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{base}/inc.xml"/></rss>',
    ]
    for text in documents:
        try:
            root = parse_xml(text.encode())
        except UnsafeXml:
            continue
        assert b"127.0.0.1" not in b"".join(t.encode() for t in root.itertext())
    assert seen == [], "the parser connected to the network"


def test_a_gzip_bomb_of_xml_is_refused_at_the_size_limit() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (MAX_XML_BYTES + 1024) + b"</urlset>", compresslevel=9)
    assert len(bomb) < 200_000
    with pytest.raises(UnsafeXml, match="larger than"):
        parse_xml(bomb)


# ---- the archive, the query connection and the logs ---------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://x/../../../../tmp/evil.warc.gz",
        "http://x/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "file:///etc/passwd",
        "http://x/" + "a" * 5000,
        "http://x/\x00nul",
        "http://x/C:\\Windows\\system.ini",
    ],
)
def test_archive_file_names_never_come_from_url_text(tmp_path: Path, url: str) -> None:
    raw = tmp_path / "raw"
    capture = Capture(url=url, fetched_at=datetime(2019, 4, 10, tzinfo=UTC), status=200, headers=(), body=b"<p>x</p>")
    with RawArchive(raw, max_file_bytes=1 << 20) as archive:
        at = archive.append(capture)
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()] == [Path("raw") / at.file]
    assert at.file.startswith("iot-") and at.file.endswith(".warc.gz") and "/" not in at.file
    (read,) = list(iter_warc(raw / at.file))
    if url.startswith("http"):  # warcio reads HTTP headers only under http(s) target URIs
        assert isinstance(read, WarcResponse) and read.capture.url == url


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("loaded")
    warc = write_warc(where / "in.warc.gz", sample_captures()[:2])
    completed(import_argv(where / "iot.duckdb", warc), cwd=where)
    return where / "iot.duckdb"


@pytest.mark.parametrize(
    "sql",
    [
        "ATTACH 'attached-by-query.duckdb' AS x",
        "INSTALL httpfs",
        "SELECT * FROM read_text('/etc/hostname')",
        "UPDATE runs SET status = 'x'",
        "CREATE MACRO m() AS 1",
    ],
)
def test_query_refuses_to_write_or_reach_outside(
    cli: Callable[..., CliResult], loaded: Path, tmp_path: Path, sql: str
) -> None:
    db = tmp_path / "iot.duckdb"
    shutil.copy(loaded, db)
    before = db.read_bytes()
    done = cli("query", "--db", db, sql)
    assert done.code == 2, done
    assert done.err.startswith("iot-ingest query: error: ") and len(done.err.strip().splitlines()) == 1
    assert "read-only" in done.err or "disabled" in done.err.lower()
    assert db.read_bytes() == before
    assert not (tmp_path / "attached-by-query.duckdb").exists()


def test_logs_carry_no_bodies_or_secrets(
    cli: Callable[..., CliResult], tmp_path: Path, captures: list[Capture]
) -> None:
    secret = "sk_live_0123456789abcdef"
    body_marker = "UNIQUE-BODY-MARKER-7f3a"
    page = captures[0]
    hostile = [
        Capture(
            url="https://www.gov.uk/government/news/secret-page",
            fetched_at=page.fetched_at,
            status=200,
            headers=(("Content-Type", "text/html"), ("Set-Cookie", f"session={secret}"), ("Authorization", secret)),
            body=page.body.replace(b"</body>", f"<p>{body_marker}</p></body>".encode()),
        ),
        Capture(
            url="https://www.gov.uk/broken",
            fetched_at=page.fetched_at,
            status=200,
            headers=(("Content-Type", "text/html"),),
            body=f"<html><body><p>{body_marker}\x00\xff</p>".encode("latin-1") + b"\xc3\x28" * 1000,
        ),
    ]
    warc = write_warc(tmp_path / "in.warc.gz", hostile)
    with warc.open("ab") as handle:
        handle.write(gzip.compress(f"WARC/1.0\r\nX-Token: {secret}\r\n".encode())[:40])  # a torn record
    done = cli("import-warc", "--db", tmp_path / "iot.duckdb", warc, env={"IOT_INGEST_TOKEN": secret})
    assert done.code == 0, done.err
    output = done.out + done.err
    assert secret not in output and body_marker not in output
    queried = cli("query", "--db", tmp_path / "iot.duckdb", "SELECT reason FROM ingest_errors", "--format", "json")
    assert secret not in queried.out and body_marker not in queried.out
