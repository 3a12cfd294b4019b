"""One page source's crawl: discover, pre-filter, skip what is unchanged, fetch the rest.

Nothing here holds the warehouse across the network: the unchanged check reads once, after
discovery; pages are committed by the session as they come in.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from typing import Any

from iot_ingest import progress
from iot_ingest.archive import Capture
from iot_ingest.ingest.session import SourceSession, UnitStart
from iot_ingest.sources import Discovered, Window, make_source
from iot_ingest.sources.govuk_search import moved_to
from iot_ingest.sources.prefilter import off_topic_reason
from iot_ingest.warehouse.load import lookup
from iot_ingest.warehouse.target import WarehouseTarget

__all__ = ["crawl"]

_PAGE_CHUNK = 50  # pages in flight at most (the client's per-host limits pace them)
_MAX_ITEM_REDIRECTS = 3  # a GOV.UK redirect item followed to the next, at most this many times


async def crawl(
    session: SourceSession, target: WarehouseTarget, window: Window | None, *, force: bool, retry: list[str]
) -> int:
    """Discover, pre-filter, skip what is unchanged, fetch the rest. Returns items discovered."""
    adapter = make_source(session.source)
    items: list[Discovered] = [item async for item in adapter.discover(session, window)]
    session.stats.discovery.discovered += len(items)
    last_fetched = {} if force else _last_fetched(target, items, session.start)
    skipped: list[dict[str, Any]] = []
    wanted: list[Discovered] = []
    for item in items:
        if reason := off_topic_reason(item, session.ingestor.topics):
            session.stats.discovery.prefiltered += 1
        elif reason := None if force else _unchanged(item, last_fetched):
            session.stats.discovery.unchanged += 1
        else:
            wanted.append(item)
            continue
        skipped.append(_skip_row(session, item, reason))
    seen = {item.url for item in wanted}
    wanted += [Discovered(url=url) for url in retry if url not in seen]
    session.ingestor.stage("sources.insert_skipped", skipped)
    where = f"{session.source.name} {window}" if window else session.source.name
    with progress.bar(f"fetching {where}", len(wanted)) as pages:
        for start in range(0, len(wanted), _PAGE_CHUNK):
            chunk = [asyncio.ensure_future(_fetch_item(session, item)) for item in wanted[start : start + _PAGE_CHUNK]]
            for done in asyncio.as_completed(chunk):
                await done
                pages.advance(1)
                if session.commit_due():
                    session.flush(save_state=False)
    return len(items)


async def _fetch_item(session: SourceSession, item: Discovered, hops: int = 0) -> None:
    outcome = await session.fetch_page(item.url)
    if item.archived_as and item.captured_at and outcome.capture is not None:
        # A Wayback snapshot is archived as what it shows: the original URL at its capture time.
        snapshot = outcome.capture
        original = Capture(
            item.archived_as,
            item.captured_at,
            snapshot.status,
            snapshot.headers,
            snapshot.body,
            "fetch",
            session.source.name,
        )
        session.record(outcome, extract=True, capture=original)
        return
    session.record(outcome, extract=True)
    moved = moved_to(item, outcome)
    if moved is not None and hops < _MAX_ITEM_REDIRECTS:
        await _fetch_item(session, moved, hops + 1)  # a redirect item: the article is at its destination
        return
    if outcome.ok or outcome.not_modified:
        return
    if item.fallback_url:
        fallback = await session.fetch_page(item.fallback_url)
        session.record(fallback, extract=True)
        if fallback.ok:
            return
    if item.inline is not None:
        session.keep(dataclasses.replace(item.inline, source=session.source.name))
        session.stats.discovery.from_feed_text += 1


def _last_fetched(target: WarehouseTarget, items: list[Discovered], start: UnitStart) -> dict[str, datetime]:
    """When each discovered URL last yielded a loaded article: from what the unit read when it
    started for URLs under its source's host, in one more short read for any others."""
    urls = {u for item in items for u in (item.archived_as or item.url, item.fallback_url) if u}
    known = {url: start.last_fetched[url] for url in urls if url in start.last_fetched}
    others = sorted(u for u in urls if not (start.prefix and u.startswith(start.prefix)))
    if others:
        with target.reading() as warehouse:
            known.update((url, when) for url, when in lookup(warehouse.con, "sources.latest_fetches", others) if when)
    return known


def _unchanged(item: Discovered, last_fetched: dict[str, datetime]) -> str | None:
    last = last_fetched.get(item.archived_as or item.url)
    if last is None and item.fallback_url:
        last = last_fetched.get(item.fallback_url)
    if last is None:
        return None
    if item.captured_at is not None:
        return "snapshot already archived" if last >= item.captured_at else None
    # Listings give whole seconds (GOV.UK's Search API does): an update stamped with the second of
    # the last fetch may have come after it, so only an earlier second counts as unchanged.
    if item.updated_at is None or item.updated_at < last.replace(microsecond=0):
        return "unchanged since it was last fetched"
    return None


def _skip_row(session: SourceSession, item: Discovered, reason: str) -> dict[str, Any]:
    return {
        "source": session.source.name,
        "url": item.url,
        "title": item.title,
        "reason": reason,
        "run_id": session.run_id,
        "skipped_at": datetime.now(UTC),
    }
