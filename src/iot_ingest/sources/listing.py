"""A news listing page: links by CSS selector, followed page by page up to a limit or a date."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from iot_ingest.config import ListingSource
from iot_ingest.extract.dates import parse_date
from iot_ingest.extract.decode import decode_html
from iot_ingest.sources.base import Cursor, Discovered, DiscoveryFailed, MonthlyBackfill, SourceContext, Window

__all__ = ["Listing"]

DEFAULT_LINK_SELECTOR = "article h2 a, article h3 a, .entry-title a"
DEFAULT_NEXT_SELECTOR = "a.next, a[rel~=next], .pagination a.next"


class Listing(MonthlyBackfill):
    def __init__(self, config: ListingSource) -> None:
        self.config = config

    async def discover(self, ctx: SourceContext, window: Window | None) -> AsyncIterator[Discovered]:
        cursor = Cursor("newest", self.config.lookback_days)
        since = window.start if window else cursor.since(ctx)
        newest: datetime | None = None
        url: str | None = self.config.url
        for _page in range(self.config.max_pages):
            if url is None:
                break
            items, next_url = await self._page(ctx, url)
            older = 0
            for item in items:
                when = item.published_at
                if when is not None and since is not None and when < since:
                    older += 1
                    continue
                if window is not None and when is not None and not window.holds(when):
                    continue
                if when and (newest is None or when > newest):
                    newest = when
                yield item
            if items and older == len(items):
                break  # newest first: every later page is older still
            url = next_url
        if window is None:
            cursor.advance(ctx, newest)

    async def _page(self, ctx: SourceContext, url: str) -> tuple[list[Discovered], str | None]:
        outcome = await ctx.get(url, accept="page")  # a listing is an HTML page of links
        if outcome.not_modified:
            return [], None  # unchanged since the last run: nothing new on it
        if not outcome.ok or outcome.capture is None:
            raise DiscoveryFailed(f"listing {url}: {outcome.error or outcome.skipped or 'no response'}")
        soup = BeautifulSoup(decode_html(outcome.capture.body, outcome.capture.content_type), "lxml")
        items = []
        for link in soup.select(self.config.link_selector or DEFAULT_LINK_SELECTOR):
            href = link.get("href")
            if not isinstance(href, str) or not href.strip():
                continue
            block = link.find_parent(["article", "li"]) or link.parent
            stamp = block.find("time") if isinstance(block, Tag) else None
            when = None
            if isinstance(stamp, Tag):
                value = stamp.get("datetime")
                when = parse_date(value if isinstance(value, str) else stamp.get_text(" "))
            summary = block.find("p") if isinstance(block, Tag) else None
            items.append(
                Discovered(
                    url=urljoin(url, href.strip()),
                    title=link.get_text(" ", strip=True) or None,
                    summary=summary.get_text(" ", strip=True) if isinstance(summary, Tag) else None,
                    published_at=when,
                )
            )
        nxt = soup.select_one(self.config.next_selector or DEFAULT_NEXT_SELECTOR)
        href = nxt.get("href") if isinstance(nxt, Tag) else None
        return items, urljoin(url, href) if isinstance(href, str) else None
