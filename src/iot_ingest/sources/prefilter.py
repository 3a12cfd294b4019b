"""Before fetching or parsing: leave out items whose discovery metadata, or raw bytes, are clearly
off every followed topic."""

from __future__ import annotations

from dataclasses import dataclass

from iot_ingest.sources.base import Discovered
from iot_ingest.topics import TopicSet

__all__ = ["RawPrefilter", "off_topic_reason", "raw_prefilter"]


@dataclass(frozen=True)
class RawPrefilter:
    """Whether a page's raw bytes could be about any of the topics, decided before any HTML parsing.

    Per topic, exact substring hints first (a page in a crawl rarely holds one, and finding a
    substring costs next to nothing), then its bytes pattern: a regular expression over every page
    would cost more than reading the crawl. A topic without a raw pattern keeps every page.
    """

    topics: TopicSet

    def may_match(self, body: bytes) -> bool:
        return self.topics.raw_may_match(body)


def raw_prefilter(topics: TopicSet) -> RawPrefilter:
    return RawPrefilter(topics)


def off_topic_reason(item: Discovered, topics: TopicSet) -> str | None:
    """Why the item is not worth fetching, or None. Items with no title or summary are kept."""
    text = " ".join(part for part in (item.title, item.summary) if part)
    if not text.strip() or topics.keep_item(text):
        return None
    return "off-topic: no topic term in the title or summary"
