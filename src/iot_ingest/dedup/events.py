"""Which article copies which, and which articles cover one real-world announcement. Pure functions.

A copy points at its *original*: of the articles it is verified to copy (directly, never through a
chain), the official source if there is one, else the earliest published. Announcements group the
relevant articles that copy one another or that report the same facts about the same institutes
within a few days.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

__all__ = ["ArticleInfo", "CopyEdge", "Event", "announcement_id", "choose_originals", "group_events"]

EVENT_WINDOW = timedelta(days=3)
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
    """Relevant articles in groups, one per announcement: copies together, and reports naming a
    common institute with the same count or sum within EVENT_WINDOW of each other."""
    relevant = {a: info for a, info in articles.items() if info.relevant}
    parent = {a: a for a in relevant}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    for edge in edges:
        if edge.a in relevant and edge.b in relevant:
            union(edge.a, edge.b)
    dated = sorted((info for info in relevant.values() if info.published_at), key=lambda i: i.published_at or 0)
    for index, info in enumerate(dated):
        for other in dated[index + 1 :]:
            assert info.published_at is not None and other.published_at is not None
            if other.published_at - info.published_at > EVENT_WINDOW:
                break
            if _same_facts(info, other):
                union(info.article_id, other.article_id)
    groups: dict[str, list[str]] = {}
    for article_id in relevant:
        groups.setdefault(find(article_id), []).append(article_id)
    events = []
    for members in groups.values():
        original = min((relevant[m] for m in members), key=_precedence)
        events.append(Event(original=original.article_id, members=tuple(sorted(members))))
    return sorted(events, key=lambda e: e.original)


def _same_facts(a: ArticleInfo, b: ArticleInfo) -> bool:
    """Two reports of one announcement, not of two alike: a count or a sum alone is shared by
    announcements on one topic days apart (every opening is of one institute), so the reports must
    also name an institute in common. Reports that name none join only through a copy relation."""
    if not a.institutes & b.institutes:
        return False
    same_sum = a.funding_gbp is not None and a.funding_gbp == b.funding_gbp
    same_count = a.institute_count is not None and a.institute_count == b.institute_count
    return same_sum or same_count


def announcement_id(original_article_id: str) -> str:
    """Stable while the original stays the original (a merge that changes it is aliased)."""
    return "ann_" + hashlib.sha256(original_article_id.encode()).hexdigest()[:16]
