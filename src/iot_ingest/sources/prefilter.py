"""Before fetching or parsing: leave out items whose discovery metadata, or raw bytes, are clearly
off-topic."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from iot_ingest.extract.relevance import DEFAULT_TOPIC
from iot_ingest.sources.base import Discovered

__all__ = ["RawPrefilter", "off_topic_reason", "raw_prefilter"]


@cache
def _prefilter_table(topic: str) -> dict[str, object]:
    data = tomllib.loads(resources.files("iot_ingest").joinpath("topics", f"{topic}.toml").read_text("utf-8"))
    table = data.get("prefilter", {})
    return table if isinstance(table, dict) else {}


@cache
def _keep_pattern(topic: str) -> re.Pattern[str] | None:
    keep = _prefilter_table(topic).get("keep")
    return re.compile(keep, re.IGNORECASE) if isinstance(keep, str) and keep else None


@dataclass(frozen=True)
class RawPrefilter:
    """Whether a page's raw bytes could be about the topic, decided before any HTML parsing.

    Exact substring hints first (a page in a crawl rarely holds one, and finding a substring costs
    next to nothing), then the bytes pattern: a regular expression over every page would cost more
    than reading the crawl.
    """

    hints: tuple[bytes, ...]
    pattern: re.Pattern[bytes] | None

    def may_match(self, body: bytes) -> bool:
        if self.pattern is None:
            return True
        if self.hints and not any(hint in body for hint in self.hints):
            return False
        return self.pattern.search(body) is not None


@cache
def raw_prefilter(topic: str = DEFAULT_TOPIC) -> RawPrefilter:
    """The topic's byte-level prefilter; one that keeps everything when the topic defines none."""
    table = _prefilter_table(topic)
    raw, hints = table.get("raw"), table.get("raw_hints", [])
    pattern = re.compile(raw.encode()) if isinstance(raw, str) and raw else None
    words = tuple(str(h).encode() for h in hints) if isinstance(hints, list) else ()
    return RawPrefilter(words, pattern)


def off_topic_reason(item: Discovered, topic: str = DEFAULT_TOPIC) -> str | None:
    """Why the item is not worth fetching, or None. Items with no title or summary are kept."""
    text = " ".join(part for part in (item.title, item.summary) if part)
    pattern = _keep_pattern(topic)
    if not text.strip() or pattern is None or pattern.search(text):
        return None
    return "off-topic: no topic term in the title or summary"
