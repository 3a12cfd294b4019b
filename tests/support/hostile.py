"""Hostile input for the parsers, shared by the pytest suite and the atheris harnesses in fuzz/.

Each target takes bytes and returns a one-line verdict: what it made of them, or the reason it
refused them. Refusing is fine; raising anything else is a crash (a finding).
"""

from __future__ import annotations

import asyncio
import gzip
import io
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from iot_ingest.archive.reader import RecordProblem, WarcResponse, iter_warc_bytes
from iot_ingest.config import ListingSource, SitemapSource
from iot_ingest.extract import UnsupportedContent, extract_article
from iot_ingest.fetch import Accept
from iot_ingest.sources.base import DiscoveryFailed
from iot_ingest.sources.feed import parse_feed
from iot_ingest.sources.listing import Listing
from iot_ingest.sources.sitemap import Sitemap
from iot_ingest.sources.xml import UnsafeXml
from tests.support.topics import facts_of

FETCHED_AT = datetime(2019, 4, 10, 9, 30, tzinfo=UTC)
PARAGRAPH = (
    "<p>The Department for Education has announced £170 million for 12 Institutes of Technology, "
    "collaborations between further education colleges, universities and employers.</p>"
)


# ---- targets -----------------------------------------------------------------------------------


def extract_target(data: bytes) -> str:
    """A page through extraction and fact finding, as the ingest step does it."""
    try:
        article = extract_article(
            "https://www.gov.uk/government/news/x", data, "text/html; charset=utf-8", fetched_at=FETCHED_AT
        )
    except UnsupportedContent as exc:
        return f"refused: {exc}"
    facts = facts_of(article.title, article.body_text)
    if facts.funding_gbp is not None:
        assert 0 <= facts.funding_gbp < 2**63, "funding_gbp must fit the warehouse's BIGINT"
    return f"article {len(article.body_text)} chars, facts {facts.institute_count} {facts.funding_gbp}"


def feed_target(data: bytes) -> str:
    try:
        return f"{len(parse_feed(data, fetched_at=FETCHED_AT))} items"
    except UnsafeXml as exc:
        return f"refused: {exc}"


@dataclass
class _Answer:
    """The part of a FetchOutcome that sources read."""

    capture: Any
    ok: bool = True
    not_modified: bool = False
    error: str | None = None
    skipped: str | None = None


class _OneResponse:
    """A source context that answers every request with the same body."""

    def __init__(self, body: bytes, content_type: str) -> None:
        self.body, self.content_type = body, content_type
        self.saved: dict[str, Any] = {}

    async def get(self, url: str, *, accept: Accept = "page") -> _Answer:
        return _Answer(capture=_Body(self.body, self.content_type, FETCHED_AT))

    def state(self, key: str) -> Any:
        return self.saved.get(key)

    def set_state(self, key: str, value: Any) -> None:
        self.saved[key] = value


@dataclass
class _Body:
    body: bytes
    content_type: str
    fetched_at: datetime


def sitemap_target(data: bytes) -> str:
    source = Sitemap(SitemapSource(name="map", kind="sitemap", url="https://feweek.co.uk/sitemap.xml"))

    async def read() -> str:
        kind, entries = await source._read(_OneResponse(data, "application/xml"), "https://feweek.co.uk/s.xml")  # type: ignore[arg-type]
        return f"{kind} {len(entries)} entries"

    return _discovered(read)


def listing_target(data: bytes) -> str:
    source = Listing(ListingSource(name="list", kind="listing", url="https://feweek.co.uk/news/"))

    async def read() -> str:
        items, next_url = await source._page(_OneResponse(data, "text/html"), "https://feweek.co.uk/news/")  # type: ignore[arg-type]
        return f"{len(items)} links, next page {next_url is not None}"

    return _discovered(read)


def _discovered(read: Callable[[], Coroutine[Any, Any, str]]) -> str:
    try:
        return asyncio.run(read())
    except DiscoveryFailed as exc:
        return f"refused: {exc}"


def warc_target(data: bytes) -> str:
    found = list(iter_warc_bytes(data, Path("fuzz.warc.gz")))
    assert all(isinstance(item, WarcResponse | RecordProblem) for item in found)
    problems = [item.reason for item in found if isinstance(item, RecordProblem)]
    assert all(problems), "every refused record says why"
    return f"{len(found) - len(problems)} responses, {len(problems)} problems"


TARGETS: dict[str, Callable[[bytes], str]] = {
    "extract": extract_target,
    "feed": feed_target,
    "sitemap": sitemap_target,
    "listing": listing_target,
    "warc": warc_target,
}


# ---- seeds and the named hostile cases ---------------------------------------------------------


def page(title: str = "Institutes of Technology", head: str = "", body: str = PARAGRAPH * 3) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f'<body><main><article class="gem-c-govspeak">{body}</article></main></body></html>'
    ).encode()


def feed() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>FE Week</title>'
        b"<item><title>Institutes of Technology: wave 2 named</title>"
        b"<link>https://feweek.co.uk/institutes-of-technology-wave-2/</link>"
        b"<pubDate>Tue, 07 Dec 2021 10:00:00 +0000</pubDate></item></channel></rss>"
    )


def sitemap() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://feweek.co.uk/institutes-of-technology-wave-2/</loc>"
        b"<lastmod>2021-12-07T10:00:00+00:00</lastmod></url></urlset>"
    )


def listing() -> bytes:
    return (
        b'<html><body><main><article><h2><a href="/institutes-of-technology-wave-2/">Wave 2 named</a></h2>'
        b'<time datetime="2021-12-07">7 December 2021</time></article>'
        b'<a class="next" rel="next" href="/news/page/2/">Older</a></main></body></html>'
    )


def warc(body: bytes = b"") -> bytes:
    """One gzipped WARC response record of `body` (a sample page by default), written by warcio."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    payload = body or page()
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(payload)))], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        "https://www.gov.uk/government/news/x",
        "response",
        payload=io.BytesIO(payload),
        length=len(payload),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": "2019-04-10T09:30:00Z"},
    )
    writer.write_record(record)
    return out.getvalue()


SEEDS: dict[str, Callable[[], bytes]] = {
    "extract": page,
    "feed": feed,
    "sitemap": sitemap,
    "listing": listing,
    "warc": warc,
}


def billion_laughs(root: str) -> bytes:
    entities = '<!ENTITY l0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{entities}]><{root}>&l9;</{root}>'.encode()


def external_entity(root: str) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/passwd">]><{root}>&x;</{root}>'
    ).encode()


def gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9)


def hostile_cases(big: int = 10 * 1024 * 1024) -> Iterator[tuple[str, str, bytes]]:
    """(target, case name, input): the cases the issue names, sized by `big` where size matters."""
    filler = PARAGRAPH * (big // len(PARAGRAPH))
    yield "extract", "big page", page(body=filler)
    yield "extract", "huge attribute", page(body=f'<p class="{"a" * big}">x</p>' + PARAGRAPH)
    yield "extract", "invalid UTF-8", page().replace(b"Department", b"Dep\xff\xfe\xc3\x28rtment") + b"\x80" * 100
    yield "extract", "NUL bytes", page(title="Insti\0tutes").replace(b"the", b"t\0he")
    yield "extract", "31 February", page(head='<meta property="article:published_time" content="2019-02-31T10:00Z">')
    yield "extract", "year 0", page(head='<meta name="govuk:first-published-at" content="0000-01-01T00:00:00Z">')
    yield "extract", "year 99999", page(head='<meta property="article:published_time" content="99999-01-01">')
    yield (
        "extract",
        "absurd sums",
        page(
            title="£999999999999bn for Institutes of Technology",
            body="<p>The Department for Education will give £999999999999bn and up to £9,999,999,999,999,999,999 "
            "to 99999999999999999999 Institutes of Technology; also £1e308m.</p>" + PARAGRAPH,
        ),
    )
    yield "extract", "not HTML", b"\x89PNG\r\n\x1a\n" + b"\0" * 1000
    yield "extract", "empty", b""
    yield "extract", "billion laughs in HTML", billion_laughs("html")
    yield "feed", "billion laughs", billion_laughs("rss")
    yield "feed", "external entity", external_entity("rss")
    yield "feed", "gzip bomb", gzip_bomb(64 * 1024 * 1024)
    yield "feed", "impossible dates", feed().replace(b"Tue, 07 Dec 2021", b"Sat, 31 Feb 0000")
    yield "feed", "invalid UTF-8 and NUL", feed().replace(b"wave 2", b"w\xff\0ve 2")
    yield "sitemap", "billion laughs", billion_laughs("urlset")
    yield "sitemap", "external entity", external_entity("urlset")
    yield "sitemap", "gzip bomb", gzip_bomb(64 * 1024 * 1024)
    yield "sitemap", "impossible lastmod", sitemap().replace(b"2021-12-07", b"2021-02-31")
    yield "sitemap", "year 0 lastmod", sitemap().replace(b"2021-12-07", b"0000-00-00")
    yield "listing", "huge attribute", listing().replace(b'class="next"', b'class="' + b"n" * big + b'"')
    yield "listing", "NUL and bad bytes", listing().replace(b"Wave", b"W\0\xff\xfeave")
    yield "warc", "gzip bomb member", gzip_bomb(80 * 1024 * 1024)
    yield "warc", "truncated member", warc()[:-20]
    yield "warc", "garbage", b"WARC/1.0\r\nContent-Length: 99999999999999999999\r\n\r\n" + b"\xff" * 100
    yield "warc", "negative length", gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: -5\r\n\r\n")
    yield "warc", "NUL page", warc(page().replace(b"the", b"\0"))


def deep_nesting(depth: int) -> bytes:
    return page(body=PARAGRAPH + "<div>" * depth + "x" + "</div>" * depth)
