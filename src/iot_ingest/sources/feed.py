"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each item's link is the page; full text is the fallback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urljoin

from lxml import etree

from iot_ingest.archive import Capture
from iot_ingest.config import FeedSource
from iot_ingest.sources.base import Discovered, DiscoveryFailed, MonthlyBackfill, SourceContext, Window
from iot_ingest.sources.feeddates import FeedDate, parse_feed_date
from iot_ingest.sources.xml import UnsafeXml, local, parse_xml

__all__ = ["Feed", "FeedEntry", "parse_entries", "parse_feed"]

log = logging.getLogger(__name__)


class Feed(MonthlyBackfill):
    def __init__(self, config: FeedSource) -> None:
        self.config = config

    async def discover(self, ctx: SourceContext, window: Window | None) -> AsyncIterator[Discovered]:
        outcome = await ctx.get(self.config.url, accept="feed")
        if outcome.not_modified:
            return  # nothing new since the last run
        if not outcome.ok or outcome.capture is None:
            raise DiscoveryFailed(f"feed {self.config.url}: {outcome.error or outcome.skipped or 'no response'}")
        try:
            items = parse_feed(
                outcome.capture.body, fetched_at=outcome.capture.fetched_at, base_url=outcome.capture.url
            )
        except UnsafeXml as exc:
            raise DiscoveryFailed(f"feed {self.config.url}: {exc}") from None
        for item in items:
            if window is None or window.holds(item.published_at):
                yield item


@dataclass(frozen=True)
class FeedEntry:
    """What the product reads from one item or entry, before it becomes a Discovered item."""

    link: str | None
    id: str | None
    title: str | None
    summary: str | None
    published: FeedDate | None
    updated: FeedDate | None
    full_text: str | None


def parse_feed(data: bytes, *, fetched_at: datetime, base_url: str | None = None) -> list[Discovered]:
    found = []
    for entry in parse_entries(data, base_url):
        item = _discovered(entry, fetched_at)
        if item is not None:
            found.append(item)
    return found


def parse_entries(data: bytes, base_url: str | None = None) -> list[FeedEntry]:
    """Every item or entry; relative links are resolved against xml:base, then `base_url`."""
    root = parse_xml(data)
    kind = local(root.tag)
    if kind not in {"rss", "feed", "rdf"}:
        raise UnsafeXml(f"not a feed (root element <{kind}>)")
    entries = [e for e in root.iter() if isinstance(e.tag, str) and local(e.tag) in {"item", "entry"}]
    return [_entry(e, base_url or "") for e in entries]


# Dates by element, as (namespace-free name, where it goes). dc:date and dcterms:modified are the
# last change; dcterms:issued and Atom 0.3's issued are the publication.
_PUBLISHED = ("pubdate", "published", "issued")
_UPDATED = ("updated", "modified", "date")


def _entry(entry: etree._Element, base_url: str) -> FeedEntry:
    fields: dict[str, str] = {}
    dates: dict[str, str] = {}
    link: str | None = None
    guid: str | None = None
    guid_is_link = False
    for child in entry:
        if not isinstance(child.tag, str):
            continue
        name = local(child.tag)
        text = (child.text or "").strip()
        if name == "link":
            found = _link_of(child, text)
            link = link or (urljoin(_base_of(child, base_url), found) if found else None)
        elif name == "guid" and guid is None and text:
            guid = text
            guid_is_link = child.get("isPermaLink", "true").strip().lower() != "false"
        elif name == "id" and "id" not in fields and text:
            fields["id"] = text
        elif text and name in _PUBLISHED + _UPDATED:
            dates[name] = text  # repeated: the last one stands, as in other feed readers
        elif text and name not in fields:
            fields[name] = text
    if link is None and guid is not None and guid_is_link:
        link = guid  # RSS 2.0: a permalink guid is the item's address when there is no <link>
    about = (entry.get(f"{{{_RDF}}}about") or "").strip() or None
    link = link or about
    return FeedEntry(
        link=link,
        id=guid or fields.get("id") or about,
        title=fields.get("title"),
        summary=fields.get("description") or fields.get("summary"),
        published=_first_date(dates, _PUBLISHED),
        updated=_first_date(dates, _UPDATED),
        full_text=fields.get("encoded"),
    )


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _link_of(element: etree._Element, text: str) -> str | None:
    # Only the alternate link (rel absent means alternate) is the entry's page; enclosure, related,
    # self and the rest point elsewhere, whether written as href (Atom) or as text (Atom 0.3, RSS).
    if element.get("rel", "alternate").strip().lower() != "alternate":
        return None
    href = element.get("href")
    return (href.strip() if href is not None else text) or None


def _base_of(element: etree._Element, base_url: str) -> str:
    declared = element.base  # xml:base, inherited from the ancestors and already combined by lxml
    return urljoin(base_url, declared) if declared else base_url


def _first_date(fields: dict[str, str], names: tuple[str, ...]) -> FeedDate | None:
    for name in names:
        parsed = parse_feed_date(fields.get(name))
        if parsed is not None:
            return parsed
    return None


def _discovered(entry: FeedEntry, fetched_at: datetime) -> Discovered | None:
    link = entry.link
    if not link or not link.startswith(("http://", "https://")):
        return None
    for written in (entry.published, entry.updated):
        if written is not None and not written.zone_known:
            log.warning("feed item %s: date zone not recognised, its time is read as UTC", link)
    first = entry.published or entry.updated
    published = first.when if first is not None else None
    updated = entry.updated.when if entry.updated else published
    inline = None
    if entry.full_text:
        # A page of our own around the feed's full text, with the feed's title and date in its head.
        title = escape(entry.title or "")
        stamp = f'<meta property="article:published_time" content="{published.isoformat()}">' if published else ""
        head = f"<head><title>{title}</title>{stamp}</head>"
        html = f"<html>{head}<body><article><h1>{title}</h1>{entry.full_text}</article></body></html>"
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
        title=entry.title,
        summary=entry.summary,
        published_at=published,
        updated_at=updated,
        inline=inline,
    )
