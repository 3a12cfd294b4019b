"""Sitemaps: indexes, urlsets and Google News sitemaps, gzipped or not, filtered by date and pattern."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime

from iot_ingest.config import SitemapSource
from iot_ingest.extract.dates import parse_date
from iot_ingest.sources.base import Discovered, DiscoveryFailed, MonthlyBackfill, SourceContext, Window, since_last_run
from iot_ingest.sources.xml import UnsafeXml, local, parse_xml

__all__ = ["MAX_CHILD_SITEMAPS", "MAX_URLS_PER_SITEMAP", "Sitemap"]

MAX_CHILD_SITEMAPS = 500
MAX_URLS_PER_SITEMAP = 50_000  # the sitemap protocol's own limit


class Sitemap(MonthlyBackfill):
    def __init__(self, config: SitemapSource) -> None:
        self.config = config
        self.pattern = re.compile(config.url_pattern) if config.url_pattern else None

    async def discover(self, ctx: SourceContext, window: Window | None) -> AsyncIterator[Discovered]:
        since = window.start if window else since_last_run(ctx.state("lastmod"), self.config.lookback_days)
        newest: datetime | None = None
        pending, seen = [self.config.url], set[str]()
        while pending and len(seen) <= MAX_CHILD_SITEMAPS:
            url = pending.pop(0)
            if url in seen:
                continue
            seen.add(url)
            kind, entries = await self._read(ctx, url)
            for loc, lastmod, published, title in entries[:MAX_URLS_PER_SITEMAP]:
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
                yield Discovered(url=loc, title=title, published_at=published, updated_at=lastmod)
        if window is None and newest is not None:
            ctx.set_state("lastmod", newest.isoformat())

    async def _read(
        self, ctx: SourceContext, url: str
    ) -> tuple[str, list[tuple[str, datetime | None, datetime | None, str | None]]]:
        outcome = await ctx.get(url)
        if outcome.not_modified:
            return "urlset", []
        if not outcome.ok or outcome.capture is None:
            raise DiscoveryFailed(f"sitemap {url}: {outcome.error or outcome.skipped or 'no response'}")
        try:
            root = parse_xml(outcome.capture.body)
        except UnsafeXml as exc:
            raise DiscoveryFailed(f"sitemap {url}: {exc}") from None
        kind = local(root.tag)
        if kind not in {"sitemapindex", "urlset"}:
            raise DiscoveryFailed(f"sitemap {url}: root element <{kind}> is not a sitemap")
        entries = []
        for entry in root:
            if local(entry.tag) not in {"sitemap", "url"}:
                continue
            values: dict[str, str] = {}
            for node in entry.iter():
                name = local(node.tag)
                if node.text and node.text.strip() and name not in values:
                    values[name] = node.text.strip()
            loc = values.get("loc")
            if loc and loc.startswith(("http://", "https://")):
                entries.append(
                    (
                        loc,
                        parse_date(values.get("lastmod")),
                        parse_date(values.get("publication_date")),
                        values.get("title"),
                    )
                )
        return kind, entries
