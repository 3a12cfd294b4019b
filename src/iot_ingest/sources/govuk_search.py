"""GOV.UK: discovery through the Search API, content through the Content API (HTML page as fallback).

The Search API's `public_timestamp` is the last major update, so it only marks change and bounds
the search; the publication date comes from the Content API's `first_published_at`. A bare `q`
matches any one of its words (with synonyms), so a several-word query is sent as a phrase. The
default scope is the news_and_communications supergroup (news, and speeches and statements).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from iot_ingest.config import GovukSearchSource
from iot_ingest.extract.dates import parse_date
from iot_ingest.extract.govuk_content_api import item_status
from iot_ingest.fetch import FetchOutcome
from iot_ingest.sources.base import Cursor, Discovered, DiscoveryFailed, MonthlyBackfill, SourceContext, Window

__all__ = ["GovukSearch", "moved_to", "search_query"]

_FIELDS = "title,link,description,public_timestamp"
_PAGE_SIZE = 100


class GovukSearch(MonthlyBackfill):
    def __init__(self, config: GovukSearchSource) -> None:
        self.config = config
        self.base = config.base_url.rstrip("/")

    def backfill_windows(self, span: Window) -> list[Window]:
        """Months, then a tail window up to today: an item published in range but updated since is
        found by its later update time (the search filters on `public_timestamp`)."""
        tail = Window(span.until + timedelta(days=1), max(span.until, datetime.now(UTC).date()))
        return [*super().backfill_windows(span), tail]

    async def discover(self, ctx: SourceContext, window: Window | None) -> AsyncIterator[Discovered]:
        incremental = window is None
        cursor = Cursor("public_timestamp", self.config.lookback_days)
        if window is None:
            window = _since_last_run(cursor.last(ctx), self.config.lookback_days)
        newest: datetime | None = None
        async for item in self._search(ctx, window):
            if item.updated_at and (newest is None or item.updated_at > newest):
                newest = item.updated_at
            yield item
        if incremental:
            cursor.advance(ctx, newest)

    async def _search(self, ctx: SourceContext, window: Window) -> AsyncIterator[Discovered]:
        first = await self._page(ctx, window, 0)
        total = int(first.get("total", 0))
        halves = window.halves()
        if total > self.config.window_max_results and halves is not None:
            # Too many for one paging run: split the date range and search each half.
            for half in halves:
                async for item in self._search(ctx, half):
                    yield item
            return
        page, start = first, 0
        while True:
            results = page.get("results") or []
            for result in results:
                found = self._item(result)
                if found is not None:
                    yield found
            start += len(results)
            if not results or start >= total:
                return
            page = await self._page(ctx, window, start)

    async def _page(self, ctx: SourceContext, window: Window, start: int) -> dict[str, Any]:
        params: list[tuple[str, str]] = [("q", search_query(self.config.query, self.config.query_mode))]
        params += [("filter_organisations", org) for org in self.config.filter_organisations]
        if self.config.subgroups:
            params += [("filter_content_purpose_subgroup", group) for group in self.config.subgroups]
        else:
            params.append(("filter_content_purpose_supergroup", self.config.supergroup))
        params += [
            ("filter_public_timestamp", f"from:{window.since.isoformat()},to:{window.until.isoformat()}"),
            ("order", "-public_timestamp"),
            ("fields", _FIELDS),
            ("count", str(_PAGE_SIZE)),
            ("start", str(start)),
        ]
        url = f"{self.base}/api/search.json?{urlencode(params)}"
        outcome = await ctx.get(url, accept="api")
        if outcome.not_modified:
            return {"results": [], "total": 0}
        body = outcome.capture.body if outcome.capture is not None else b""
        if outcome.status == 422:
            raise DiscoveryFailed(f"GOV.UK Search API refused the query: {_error_of(body)}")
        if outcome.status == 400:  # its search backend failed; the reason is plain text
            raise DiscoveryFailed(f"GOV.UK Search API failed: {_error_of(body)}")
        if not outcome.ok:
            raise DiscoveryFailed(f"GOV.UK Search API: {outcome.error or outcome.skipped or 'no response'}")
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise DiscoveryFailed(f"GOV.UK Search API returned bad JSON: {exc}") from None
        if not isinstance(data, dict):
            raise DiscoveryFailed("GOV.UK Search API returned something other than an object")
        return data

    def _item(self, result: Any) -> Discovered | None:
        if not isinstance(result, dict) or not isinstance(result.get("link"), str):
            return None
        link = result["link"]
        if link.startswith("http"):
            return None  # an external link listed by search: not a GOV.UK content item
        return Discovered(
            url=f"{self.base}/api/content{link}",
            fallback_url=f"{self.base}{link}",
            title=result.get("title") if isinstance(result.get("title"), str) else None,
            summary=result.get("description") if isinstance(result.get("description"), str) else None,
            updated_at=parse_date(result.get("public_timestamp")),
        )


def search_query(query: str | None, mode: str) -> str:
    """The Search API's `q`: GOV.UK matches any one word of it, so a phrase goes in double quotes.

    Already-quoted queries, single words and the empty query are sent as they are.
    """
    text = (query or "").strip()
    if mode != "phrase" or not text or '"' in text or len(text.split()) < 2:
        return text
    return f'"{text}"'


def moved_to(item: Discovered, outcome: FetchOutcome) -> Discovered | None:
    """The item's new address when its Content API item is a redirect, to fetch in its place."""
    capture = outcome.capture
    if capture is None:
        return None
    status = item_status(capture.url, capture.status, capture.body)
    if status is None or status.status != "redirected" or status.destination is None:
        return None
    here, there = urlsplit(capture.url), urlsplit(status.destination)
    if there.netloc != here.netloc:
        return Discovered(url=status.destination, title=item.title, summary=item.summary)  # another site
    return Discovered(
        url=f"{here.scheme}://{here.netloc}/api/content{there.path}",
        fallback_url=f"{here.scheme}://{here.netloc}{there.path}",
        title=item.title,
        summary=item.summary,
        updated_at=item.updated_at,
    )


def _since_last_run(last: datetime | None, lookback_days: int) -> Window:
    # Whole days from the day before the watermark: the Search API filters by calendar date.
    today = datetime.now(UTC).date()
    since: date = (last.date() - timedelta(days=1)) if last else today - timedelta(days=lookback_days)
    return Window(since, today)


def _error_of(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace")
    return str(data.get("error", data)) if isinstance(data, dict) else str(data)[:200]
