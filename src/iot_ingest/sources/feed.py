"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each item's link is the page; full text is the fallback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from html import escape

from lxml import etree

from iot_ingest.archive import Capture
from iot_ingest.config import FeedSource
from iot_ingest.extract.dates import parse_date
from iot_ingest.sources.base import Discovered, DiscoveryFailed, MonthlyBackfill, SourceContext, Window
from iot_ingest.sources.xml import UnsafeXml, local, parse_xml

__all__ = ["Feed", "parse_feed"]


class Feed(MonthlyBackfill):
    def __init__(self, config: FeedSource) -> None:
        self.config = config

    async def discover(self, ctx: SourceContext, window: Window | None) -> AsyncIterator[Discovered]:
        outcome = await ctx.get(self.config.url)
        if outcome.not_modified:
            return  # nothing new since the last run
        if not outcome.ok or outcome.capture is None:
            raise DiscoveryFailed(f"feed {self.config.url}: {outcome.error or outcome.skipped or 'no response'}")
        try:
            items = parse_feed(outcome.capture.body, fetched_at=outcome.capture.fetched_at)
        except UnsafeXml as exc:
            raise DiscoveryFailed(f"feed {self.config.url}: {exc}") from None
        for item in items:
            if window is None or window.holds(item.published_at):
                yield item


def parse_feed(data: bytes, *, fetched_at: datetime) -> list[Discovered]:
    root = parse_xml(data)
    kind = local(root.tag)
    if kind not in {"rss", "feed", "rdf"}:
        raise UnsafeXml(f"not a feed (root element <{kind}>)")
    entries = [e for e in root.iter() if local(e.tag) in {"item", "entry"}]
    return [item for item in (_item(e, fetched_at) for e in entries) if item is not None]


def _item(entry: etree._Element, fetched_at: datetime) -> Discovered | None:
    fields: dict[str, str] = {}
    link: str | None = None
    for child in entry:
        name = local(child.tag)
        text = (child.text or "").strip()
        if name == "link":
            href = child.get("href")
            if href and child.get("rel", "alternate") == "alternate":
                link = link or href.strip()
            elif text:
                link = link or text
        elif text and name not in fields:
            fields[name] = text
    if link is None:
        about = entry.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
        link = about.strip() if about else None
    if not link or not link.startswith(("http://", "https://")):
        return None
    published = _date(fields.get("pubdate") or fields.get("published") or fields.get("date") or fields.get("updated"))
    updated = _date(fields.get("updated")) or published
    full_text = fields.get("encoded")
    inline = None
    if full_text:
        # A page of our own around the feed's full text, with the feed's title and date in its head.
        title = escape(fields.get("title", ""))
        stamp = f'<meta property="article:published_time" content="{published.isoformat()}">' if published else ""
        head = f"<head><title>{title}</title>{stamp}</head>"
        html = f"<html>{head}<body><article><h1>{title}</h1>{full_text}</article></body></html>"
        inline = Capture(
            url=link,
            fetched_at=fetched_at,
            status=200,
            headers=(("Content-Type", "text/html; charset=utf-8"), ("X-Iot-Ingest-From", "feed content:encoded")),
            body=html.encode("utf-8"),
            origin="fetch",
        )
    return Discovered(
        url=link,
        title=fields.get("title"),
        summary=fields.get("description") or fields.get("summary"),
        published_at=published,
        updated_at=updated,
        inline=inline,
    )


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return parse_date(text)
    return parsed if parsed.tzinfo is not None else parse_date(text)
