"""Sitemaps: indexes, urlsets, Google News sitemaps, text sitemaps and feeds offered as sitemaps,
gzipped or not, filtered by date and pattern.

Only the sitemap's own elements describe the page (`<loc>`, `<lastmod>`); a Google News entry's
`news:title` and `news:publication_date` describe the article too. Image, video and other
extensions describe media on the page, never the page: a photo caption is not the headline.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from iot_ingest.config import SitemapSource
from iot_ingest.extract.dates import parse_date
from iot_ingest.sources.base import (
    Cursor,
    Discovered,
    DiscoveryFailed,
    MonthlyBackfill,
    SourceContext,
    Window,
)
from iot_ingest.sources.feed import parse_entries
from iot_ingest.sources.xml import MAX_XML_BYTES, UnsafeXml, gunzipped, local, namespace, parse_xml

__all__ = ["MAX_CHILD_SITEMAPS", "MAX_URLS_PER_SITEMAP", "Sitemap", "SitemapEntry", "parse_sitemap"]

MAX_CHILD_SITEMAPS = 500
MAX_URLS_PER_SITEMAP = 50_000  # the sitemap protocol's own limit

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None = None
    published: datetime | None = None  # news:publication_date
    title: str | None = None  # news:title


class Sitemap(MonthlyBackfill):
    def __init__(self, config: SitemapSource) -> None:
        self.config = config
        self.pattern = re.compile(config.url_pattern) if config.url_pattern else None

    async def discover(self, ctx: SourceContext, window: Window | None) -> AsyncIterator[Discovered]:
        cursor = Cursor("lastmod", self.config.lookback_days)
        since = window.start if window else cursor.since(ctx)
        newest: datetime | None = None
        pending, seen = [self.config.url], set[str]()
        while pending and len(seen) <= MAX_CHILD_SITEMAPS:
            url = pending.pop(0)
            if url in seen:
                continue
            seen.add(url)
            kind, entries = await self._read(ctx, url)
            for entry in entries[:MAX_URLS_PER_SITEMAP]:
                loc, lastmod, published = entry.loc, entry.lastmod, entry.published
                if kind == "sitemapindex":
                    # A child sitemap last changed before the window cannot hold anything in it.
                    if since is None or lastmod is None or lastmod >= since:
                        pending.append(loc)
                    continue
                if self.pattern and not self.pattern.search(loc):
                    continue
                when = published or lastmod
                if window is not None and not window.holds(when):
                    continue
                if window is None and since is not None and lastmod is not None and lastmod <= since:
                    continue
                if lastmod and (newest is None or lastmod > newest):
                    newest = lastmod
                yield Discovered(url=loc, title=entry.title, published_at=published, updated_at=lastmod)
        if window is None:
            cursor.advance(ctx, newest)

    async def _read(self, ctx: SourceContext, url: str) -> tuple[str, list[SitemapEntry]]:
        outcome = await ctx.get(url, accept="sitemap")
        if outcome.not_modified:
            return "urlset", []
        if not outcome.ok or outcome.capture is None:
            raise DiscoveryFailed(f"sitemap {url}: {outcome.error or outcome.skipped or 'no response'}")
        try:
            return parse_sitemap(outcome.capture.body, base_url=url)
        except UnsafeXml as exc:
            raise DiscoveryFailed(f"sitemap {url}: {exc}") from None


def parse_sitemap(data: bytes, *, base_url: str | None = None) -> tuple[str, list[SitemapEntry]]:
    """("sitemapindex" or "urlset", entries) of an XML, text or feed sitemap; UnsafeXml if none."""
    data = gunzipped(data).removeprefix(b"\xef\xbb\xbf")
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXml(f"larger than {MAX_XML_BYTES} bytes")
    if not data.lstrip().startswith(b"<"):
        return "urlset", _text_sitemap(data)
    root = parse_xml(data)
    kind = local(root.tag)
    if kind in {"rss", "feed", "rdf"}:
        # A feed offered as a sitemap (the protocol allows RSS and Atom): its links and dates.
        items = []
        for item in parse_entries(data, base_url):
            stamp = item.updated or item.published
            if item.link and _URL.match(item.link):
                items.append(SitemapEntry(item.link, stamp.when if stamp else None))
        return "urlset", items
    if kind not in {"sitemapindex", "urlset"}:
        raise UnsafeXml(f"root element <{kind}> is not a sitemap")
    own = {SITEMAP_NS, namespace(root.tag)}
    child = "sitemap" if kind == "sitemapindex" else "url"
    entries: list[SitemapEntry] = []
    for element in root:
        if isinstance(element.tag, str) and local(element.tag) == child:
            entries.extend(_entries(element, own))
    return kind, entries


def _entries(element: etree._Element, own: set[str]) -> list[SitemapEntry]:
    locs: list[str] = []
    lastmod: datetime | None = None
    published: datetime | None = None
    title: str | None = None
    for node in element:
        if not isinstance(node.tag, str):
            continue
        space, name = namespace(node.tag), local(node.tag)
        text = (node.text or "").strip()
        if space in own and name == "loc" and text:
            locs.append(text)
        elif space in own and name == "lastmod":
            lastmod = lastmod or parse_date(text)
        elif space == NEWS_NS and name == "news":
            for part in node.iter(f"{{{NEWS_NS}}}publication_date", f"{{{NEWS_NS}}}title"):
                value = (part.text or "").strip() or None
                if local(part.tag) == "title":
                    title = title or value
                else:
                    published = published or parse_date(value)
    if not locs and element.text and element.text.strip():
        locs.append(element.text.strip())  # a malformed index: the address written bare
    return [SitemapEntry(loc, lastmod, published, title) for loc in locs if _URL.match(loc)]


def _text_sitemap(data: bytes) -> list[SitemapEntry]:
    """One absolute URL per line (UTF-8); anything else on a line makes it no entry."""
    lines = data.decode("utf-8", errors="replace").splitlines()
    return [SitemapEntry(line.strip()) for line in lines[:MAX_URLS_PER_SITEMAP] if _URL.match(line.strip())]
