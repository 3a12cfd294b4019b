"""The Atom feed of announcements (RFC 4287): newest first, one entry per announcement, its id
stable across runs and through announcement aliasing (the entry id the notification state gave it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from xml.etree import ElementTree

from iot_ingest.config import Config
from iot_ingest.errors import UsageError
from iot_ingest.notify import state
from iot_ingest.notify.events import Announcement, entry_id_for, kind_noun
from iot_ingest.output_files import check_target, write_atomically
from iot_ingest.report.formatting import count, day, money
from iot_ingest.ukdates import UK
from iot_ingest.warehouse import open_reader

__all__ = ["FEED_ID", "KIND_SCHEME", "TOPIC_SCHEME", "render_feed", "write_feed"]

FEED_ID = "urn:iot-ingest:announcements"
KIND_SCHEME = "urn:iot-ingest:kind"
TOPIC_SCHEME = "urn:iot-ingest:topic"
_ATOM = "http://www.w3.org/2005/Atom"


def write_feed(db_path: Path, config: Config, out: Path, *, limit: int | None = None, topic: str | None = None) -> int:
    """Write the feed of the warehouse's announcements (of one topic, else of every configured one)
    to `out`; return how many entries it has."""
    check_target(out, (".atom", ".xml"), "the feed is an Atom document")
    if limit is not None and limit < 1:
        raise UsageError(f"--limit {limit}: give a number of entries of at least 1")
    with open_reader(db_path, config, topic=topic) as con:
        announcements = state.current_announcements(con)[:limit]
        entries = state.entry_ids(con)
    title = config.topic_set().title_of(topic)
    feed_id = FEED_ID if topic is None else f"{FEED_ID}:{topic}"
    document = render_feed(announcements, entries, generated_at=datetime.now(UTC), title=title, feed_id=feed_id)
    write_atomically(out, lambda path: path.write_bytes(document))
    return len(announcements)


def render_feed(
    announcements: Sequence[Announcement],
    entry_ids: Mapping[str, str],
    *,
    generated_at: datetime,
    title: str,
    feed_id: str = FEED_ID,
) -> bytes:
    """The feed as bytes. Its `updated` is its newest entry's, so an unchanged warehouse gives the same feed."""
    ElementTree.register_namespace("", _ATOM)
    feed = ElementTree.Element(f"{{{_ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", f"{title} announcements")
    _text(feed, "subtitle", f"{title} announcements, deduplicated across outlets, newest first")
    _text(feed, "generator", "iot-ingest")
    stamps = [_updated(a) for a in announcements]
    _text(feed, "updated", _iso(max((s for s in stamps if s), default=generated_at)))
    author = ElementTree.SubElement(feed, f"{{{_ATOM}}}author")
    _text(author, "name", "iot-ingest")
    for announcement, stamp in zip(announcements, stamps, strict=True):
        _entry(feed, announcement, entry_ids.get(announcement.announcement_id), stamp or generated_at)
    ElementTree.indent(feed)
    body: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def _entry(feed: ElementTree.Element, a: Announcement, entry_id: str | None, updated: datetime) -> None:
    entry = ElementTree.SubElement(feed, f"{{{_ATOM}}}entry")
    _text(entry, "id", entry_id or entry_id_for(a.announcement_id))
    _text(entry, "title", a.headline or "Untitled announcement")
    _text(entry, "updated", _iso(updated))
    published = _published(a)
    if published is not None:
        _text(entry, "published", _iso(published))
    author = ElementTree.SubElement(entry, f"{{{_ATOM}}}author")
    _text(author, "name", a.original_outlet or "unknown outlet")
    if a.original_url:
        ElementTree.SubElement(entry, f"{{{_ATOM}}}link", rel="alternate", href=a.original_url)
    for url, outlet in a.copies:
        ElementTree.SubElement(entry, f"{{{_ATOM}}}link", rel="related", href=url, title=outlet or url)
    if a.kind:
        # Feed readers filter and group entries by category: the kind of event is the useful one.
        label = kind_noun(a.kind).capitalize()
        ElementTree.SubElement(entry, f"{{{_ATOM}}}category", term=a.kind, scheme=KIND_SCHEME, label=label)
    if a.topic:
        ElementTree.SubElement(entry, f"{{{_ATOM}}}category", term=a.topic, scheme=TOPIC_SCHEME)
    _text(entry, "summary", _summary(a))


def _summary(a: Announcement) -> str:
    parts = [
        kind_noun(a.kind).capitalize(),
        day(a.announced_on) if a.announced_on else "date not stated",
        count(a.institute_count, "institute"),
        money(a.funding_gbp),
    ]
    text = ", ".join(parts) + "."
    if a.institutes:
        text += " Institutes: " + ", ".join(a.institutes) + "."
    outlets = f" ({', '.join(a.outlet_names)})" if a.outlet_names else ""
    return text + f" Covered by {count(a.article_count, 'article')} from {count(a.outlets, 'outlet')}{outlets}."


def _published(a: Announcement) -> datetime | None:
    if a.original_published_at is not None:
        return a.original_published_at
    if a.announced_on is not None:
        return datetime.combine(a.announced_on, time(), tzinfo=UK)
    return None


def _updated(a: Announcement) -> datetime | None:
    """When the entry last changed: its newest article's capture (new coverage), else its publication."""
    candidates = [t for t in (a.latest_article_seen_at, _published(a)) if t is not None]
    return max(candidates) if candidates else None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{_ATOM}}}{tag}")
    element.text = text
    return element
