"""Which article copies which, and which articles cover one real-world announcement. Pure functions.

A copy points at its *original*: of the articles it is verified to copy (directly, never through a
chain), the official source if there is one, else the earliest published. Announcements group the
relevant articles on four kinds of evidence, strongest first: they copy one another; within a few
calendar days, they name an institute in common and report the same count or sum, or the same kind
of event (a partner's news of its own designation states its own sum); within a few days, they
report the same kind of event with the same headline count of several institutes or the same sum,
though they name no institute in common (a trade blog's own words, a technology paper's "contest");
or they are about the same particulars (topical similarity, see `topical`) within a week of each
other. An institute is named by its lead, its own name or an alias, or by its place alone (a report
of "nine areas: Blackpool, Derby, Salford ..."). The last two join reports that name no institute
(a competition, a funding call) and reports that copy nothing. Neither ever joins groups that name
only different institutes (two openings a day apart are two events) or that report different kinds
of event (a competition and its winners). An article with no date at all joins only on stronger
similarity, and only events dated before it was first seen.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from iot_ingest.dedup.topical import TopicTerms, similarity
from iot_ingest.ukdates import uk_day

__all__ = [
    "ArticleInfo",
    "CopyEdge",
    "Event",
    "announcement_id",
    "choose_originals",
    "event_kind",
    "group_events",
]

EVENT_DAYS = 3  # calendar days: a report "three days later" is one whatever the hours of the two
TEXT_WINDOW = timedelta(days=7)  # weekly papers and local follow-ups report an event days later
SIMILAR = 0.3  # topical similarity that makes two dated reports one event
SIMILAR_UNDATED = 0.45  # without a date nothing narrows the candidates: ask for more
SIMILAR_CORROBORATED = 0.1  # within days, with an institute or the count and sum in common
# Kinds of event that never share an announcement; 'other' and 'funding' go with anything, and a
# local report of a designation often speaks of the opening to come.
_COMPATIBLE = {frozenset({"designation", "opening"})}
_ANY_KIND = frozenset({"other", "funding"})
_FAR_FUTURE = datetime.max.replace(tzinfo=None)


@dataclass(frozen=True)
class ArticleInfo:
    article_id: str
    published_at: datetime | None
    first_seen_at: datetime | None
    official: bool  # published by the government (GOV.UK), the authority on its own announcements
    relevant: bool = False
    institute_count: int | None = None
    funding_gbp: int | None = None
    institutes: frozenset[str] = field(default_factory=frozenset)  # keys of the institutes it names
    kind: str = "other"  # of the event it reports (facts.kinds)
    terms: Mapping[str, float] = field(default_factory=dict, compare=False)  # topical.topical_terms

    @property
    def named(self) -> frozenset[str]:
        """The institutes it names: by any of their names, or by their place alone."""
        return self.institutes | self.terms.places if isinstance(self.terms, TopicTerms) else self.institutes


@dataclass(frozen=True)
class CopyEdge:
    a: str
    b: str
    kind: str  # verbatim | trimmed | edited


@dataclass(frozen=True)
class Event:
    original: str
    members: tuple[str, ...]


def _precedence(info: ArticleInfo) -> tuple[bool, datetime, datetime, str]:
    """Official first, then earliest published, then first seen: what makes an original."""
    published = info.published_at.replace(tzinfo=None) if info.published_at else _FAR_FUTURE
    seen = info.first_seen_at.replace(tzinfo=None) if info.first_seen_at else _FAR_FUTURE
    return (not info.official, published, seen, info.article_id)


def choose_originals(articles: dict[str, ArticleInfo], edges: Iterable[CopyEdge]) -> dict[str, tuple[str, str] | None]:
    """For each article, (original, kind) when it copies another article, else None."""
    neighbours: dict[str, dict[str, str]] = {a: {} for a in articles}
    for edge in edges:
        if edge.a in articles and edge.b in articles:
            neighbours[edge.a][edge.b] = edge.kind
            neighbours[edge.b][edge.a] = edge.kind
    result: dict[str, tuple[str, str] | None] = {}
    for article_id, info in articles.items():
        candidates = [articles[n] for n in neighbours[article_id]]
        best = min([info, *candidates], key=_precedence)
        result[article_id] = (
            None if best.article_id == article_id else (best.article_id, neighbours[article_id][best.article_id])
        )
    return result


def group_events(articles: dict[str, ArticleInfo], edges: Iterable[CopyEdge]) -> list[Event]:
    """Relevant articles in groups, one per announcement (see the module's docstring)."""
    relevant = {a: info for a, info in articles.items() if info.relevant}
    groups = _Groups(relevant)
    for edge in edges:
        if edge.a in relevant and edge.b in relevant:
            groups.union(edge.a, edge.b)
    dated = sorted((i for i in relevant.values() if i.published_at), key=lambda i: (_when(i), i.article_id))
    for index, info in enumerate(dated):
        for other in dated[index + 1 :]:
            if _days_apart(info, other) > EVENT_DAYS:
                break
            # Without an institute in common, only groups that may be one event join.
            joined = _same_facts(info, other) or _same_kind_of_event(info, other)
            if joined or (_same_kind_and_figures(info, other) and groups.compatible(info.article_id, other.article_id)):
                groups.union(info.article_id, other.article_id)
    for _score, a, b in _similar_pairs(dated, [i for i in relevant.values() if not i.published_at]):
        if groups.compatible(a, b):
            groups.union(a, b)
    events = []
    for members in groups.members().values():
        original = min((relevant[m] for m in members), key=_precedence)
        events.append(Event(original=original.article_id, members=tuple(sorted(members))))
    return sorted(events, key=lambda e: e.original)


def event_kind(articles: Iterable[ArticleInfo]) -> str:
    """An announcement's kind: its original's (the first given), else what most of the others say."""
    kinds = [a.kind for a in articles]
    if kinds and kinds[0] != "other":
        return kinds[0]
    counted = Counter(k for k in kinds if k != "other")
    return max(counted, key=lambda k: (counted[k], -kinds.index(k)), default="other")


def _similar_pairs(dated: list[ArticleInfo], undated: list[ArticleInfo]) -> list[tuple[float, str, str]]:
    """Pairs alike enough to be one event, most alike first (so the strongest evidence joins first)."""
    pairs = []
    for index, info in enumerate(dated):
        for other in dated[index + 1 :]:
            if _when(other) - _when(info) > TEXT_WINDOW:
                break
            score = similarity(info.terms, other.terms)
            if score >= _threshold(info, other):
                pairs.append((score, info.article_id, other.article_id))
    for info in undated:
        seen = info.first_seen_at.replace(tzinfo=None) if info.first_seen_at else _FAR_FUTURE
        for other in [*dated, *undated]:
            if other.article_id == info.article_id or (other.published_at and _when(other) > seen + _SLACK):
                continue
            score = similarity(info.terms, other.terms)
            if score >= SIMILAR_UNDATED:
                first, second = sorted((info.article_id, other.article_id))
                pairs.append((score, first, second))
    return sorted(set(pairs), key=lambda p: (-p[0], p[1], p[2]))


_SLACK = timedelta(days=1)  # a capture clock and a publisher's clock need not agree to the hour


def _threshold(a: ArticleInfo, b: ArticleInfo) -> float:
    """Less likeness is asked of reports within days that already share something: an institute
    (a partner's news in its own words), or the same count and sum of several institutes (a
    reaction to the release)."""
    if _days_apart(a, b) > EVENT_DAYS:
        return SIMILAR
    shared_facts = (
        a.institute_count is not None
        and a.institute_count > 1
        and a.institute_count == b.institute_count
        and a.funding_gbp is not None
        and a.funding_gbp == b.funding_gbp
    )
    return SIMILAR_CORROBORATED if a.named & b.named or shared_facts else SIMILAR


def _days_apart(a: ArticleInfo, b: ArticleInfo) -> int:
    assert a.published_at is not None and b.published_at is not None
    return abs((uk_day(b.published_at) - uk_day(a.published_at)).days)


def _when(info: ArticleInfo) -> datetime:
    assert info.published_at is not None
    return info.published_at.replace(tzinfo=None) - (info.published_at.utcoffset() or timedelta())


class _Groups:
    """Union-find over article ids that keeps, per group, the institutes named and kinds reported."""

    def __init__(self, articles: dict[str, ArticleInfo]) -> None:
        self._parent = {a: a for a in articles}
        self._institutes = {a: set(i.named) for a, i in articles.items()}
        self._kinds = {a: {i.kind} - _ANY_KIND for a, i in articles.items()}

    def find(self, x: str) -> str:
        while self._parent[x] != x:
            self._parent[x] = self._parent[self._parent[x]]
            x = self._parent[x]
        return x

    def union(self, x: str, y: str) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            keep, gone = min(rx, ry), max(rx, ry)
            self._parent[gone] = keep
            self._institutes[keep] |= self._institutes.pop(gone)
            self._kinds[keep] |= self._kinds.pop(gone)

    def compatible(self, x: str, y: str) -> bool:
        """Whether the groups of x and y may be one event on similarity alone."""
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            return True
        named_x, named_y = self._institutes[rx], self._institutes[ry]
        if named_x and named_y and not named_x & named_y:
            return False
        kinds = self._kinds[rx] | self._kinds[ry]
        return len(kinds) <= 1 or frozenset(kinds) in _COMPATIBLE

    def members(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for article_id in self._parent:
            grouped.setdefault(self.find(article_id), []).append(article_id)
        return grouped


def _same_facts(a: ArticleInfo, b: ArticleInfo) -> bool:
    """Two reports of one announcement, not of two alike: a count or a sum alone is shared by
    announcements on one topic days apart (every opening is of one institute), so the reports must
    also name an institute in common (by name or place). Reports that name none join on the same
    kind of event as well (`_same_kind_and_figures`), or through a copy relation."""
    if not a.named & b.named:
        return False
    same_sum = a.funding_gbp is not None and a.funding_gbp == b.funding_gbp
    same_count = a.institute_count is not None and a.institute_count == b.institute_count
    return same_sum or same_count


def _same_kind_of_event(a: ArticleInfo, b: ArticleInfo) -> bool:
    """A partner's own news of the event, in its own words and with its own figures (a college on
    its share of a designation): the same kind of event about an institute in common, within days."""
    kinds = frozenset({a.kind, b.kind})
    if kinds & _ANY_KIND or not (len(kinds) == 1 or kinds in _COMPATIBLE):
        return False
    return bool(a.named & b.named)


def _same_kind_and_figures(a: ArticleInfo, b: ArticleInfo) -> bool:
    """Two independent reports of one event, in their own words and naming no institute in common:
    the same kind of event with the same headline sum, or the same count of several institutes (a
    count of one is every opening's). Joined only where the groups may be one event (`_Groups`)."""
    if a.kind != b.kind or a.kind == "other":
        return False
    same_count = a.institute_count is not None and a.institute_count > 1 and a.institute_count == b.institute_count
    same_sum = a.funding_gbp is not None and a.funding_gbp == b.funding_gbp
    return same_count or same_sum


def announcement_id(original_article_id: str, topic: str | None = None) -> str:
    """Stable while the original stays the original (a merge that changes it is aliased). The
    primary topic's (topic None) are the ids announcements had before topics; another topic's
    announcement of the same original is another announcement, with an id of its own."""
    key = original_article_id if topic is None else f"{topic}\n{original_article_id}"
    return "ann_" + hashlib.sha256(key.encode()).hexdigest()[:16]
