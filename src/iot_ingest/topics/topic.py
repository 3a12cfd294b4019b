"""A topic as the pipeline uses it: its relevance rules, its prefilters, and what its facts are about
(registry and vocabulary); and the set of topics a configuration follows, the primary one first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from iot_ingest.extract.facts import Facts, Subject, extract_facts
from iot_ingest.extract.relevance import Relevance, RelevanceRules, score_relevance

__all__ = ["Prefilter", "Topic", "TopicSet"]


@dataclass(frozen=True)
class Prefilter:
    """Before fetching: `keep` over a discovered item's title and summary. Before parsing a crawled
    record: `raw_hints` (exact substrings, one must be present) and `raw` (a bytes pattern)."""

    keep: re.Pattern[str] | None = None
    raw_hints: tuple[bytes, ...] = ()
    raw: re.Pattern[bytes] | None = None

    def raw_may_match(self, body: bytes) -> bool:
        if self.raw_hints and not any(hint in body for hint in self.raw_hints):
            return False
        return self.raw is None or self.raw.search(body) is not None


@dataclass(frozen=True)
class Topic:
    name: str  # as the warehouse records it
    title: str  # as people read it
    relevance: RelevanceRules
    prefilter: Prefilter
    subject: Subject
    source: str  # the file it was read from

    def score(self, title: str | None, body: str) -> Relevance:
        return score_relevance(title, body, self.relevance)

    def facts(self, title: str | None, body: str, published_at: datetime | None) -> Facts:
        return extract_facts(title, body, published_at, self.subject)


@dataclass(frozen=True)
class TopicSet:
    """The topics followed, in the configuration's order; the first is the primary topic."""

    topics: tuple[Topic, ...]

    def __post_init__(self) -> None:
        if not self.topics:
            raise ValueError("a topic set needs at least one topic")

    def __iter__(self) -> Iterator[Topic]:
        return iter(self.topics)

    def __len__(self) -> int:
        return len(self.topics)

    @property
    def primary(self) -> Topic:
        return self.topics[0]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.topics)

    def get(self, name: str) -> Topic:
        for topic in self.topics:
            if topic.name == name:
                return topic
        raise KeyError(name)

    def title_of(self, name: str | None) -> str:
        """What a feed or a report about topic `name` (all topics when None) is called."""
        if name is not None:
            return self.get(name).title
        return " and ".join(t.title for t in self.topics)

    def keep_item(self, text: str) -> bool:
        """Whether a discovered item's title and summary may be about any topic."""
        return any(t.prefilter.keep is None or t.prefilter.keep.search(text) for t in self.topics)

    def raw_may_match(self, body: bytes) -> bool:
        return any(t.prefilter.raw_may_match(body) for t in self.topics)
