"""Domain events from the warehouse's state: pure comparisons of what a run left with what the
last notification pass recorded. No I/O: the caller reads both states and stores the new one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from iot_ingest.report.formatting import money

__all__ = [
    "Announcement",
    "DomainEvent",
    "FailingSource",
    "Identity",
    "RecordedAnnouncement",
    "derive_announcement_events",
    "derive_source_events",
    "entry_id_for",
    "fingerprint",
    "kind_noun",
    "resolve",
]

EventName = Literal["announcement.created", "announcement.updated", "source.failing"]
_ENTRY_PREFIX = "urn:iot-ingest:announcement:"
# What a reader calls each kind of event; "other" and a kind not yet known are just announcements.
_KIND_NOUNS = {
    "competition": "competition",
    "shortlist": "shortlist",
    "designation": "designation",
    "opening": "opening",
    "funding": "funding round",
}


@dataclass(frozen=True)
class Announcement:
    """An announcement as a message or a feed entry tells it."""

    announcement_id: str
    headline: str | None
    kind: str | None  # competition | shortlist | designation | opening | funding | other
    announced_on: date | None
    institute_count: int | None
    funding_gbp: int | None
    institutes: tuple[str, ...]
    original_article_id: str | None
    original_url: str | None
    original_outlet: str | None
    article_count: int
    outlets: int
    outlet_names: tuple[str, ...] = ()
    copies: tuple[tuple[str, str | None], ...] = ()  # (url, outlet) of the articles other than the original
    original_published_at: datetime | None = None
    latest_article_seen_at: datetime | None = None  # when the newest of its articles was first captured
    topic: str | None = None  # the topic it belongs to

    def payload(self) -> dict[str, Any]:
        """JSON-ready: what a Prefect event or a message carries."""
        return {
            "announcement_id": self.announcement_id,
            "headline": self.headline,
            "kind": self.kind,
            "announced_on": self.announced_on.isoformat() if self.announced_on else None,
            "institute_count": self.institute_count,
            "funding_gbp": self.funding_gbp,
            "institutes": list(self.institutes),
            "original_url": self.original_url,
            "original_outlet": self.original_outlet,
            "article_count": self.article_count,
            "outlets": self.outlets,
            "topic": self.topic,
        }


@dataclass(frozen=True)
class RecordedAnnouncement:
    """What the last notification pass recorded of an announcement."""

    announcement_id: str
    entry_id: str
    fingerprint: str
    article_count: int | None
    institute_count: int | None
    funding_gbp: int | None
    original_article_id: str | None
    first_recorded_at: datetime
    kind: str | None = None  # None: recorded before kinds were told, or not known then


@dataclass(frozen=True)
class Identity:
    """What an announcement keeps through id changes: its entry id and when it was first recorded."""

    entry_id: str
    first_recorded_at: datetime | None  # None: first seen by this pass


@dataclass(frozen=True)
class FailingSource:
    source: str
    since: datetime
    reason: str


@dataclass(frozen=True)
class DomainEvent:
    """Something worth telling: `key` is its identity, so it is sent to a target once."""

    name: EventName
    subject_id: str  # the announcement id now, or the source name
    resource_id: str  # stable: an announcement's first id (that of its feed entry), or the source's name
    key: str
    summary: str
    payload: Mapping[str, Any] = field(default_factory=dict)


def fingerprint(announcement: Announcement) -> str:
    """What an `updated` is about: new coverage, a changed count or sum, other institutes, the original."""
    facts = [
        announcement.article_count,
        announcement.institute_count,
        announcement.funding_gbp,
        sorted(announcement.institutes),
        announcement.original_article_id,
    ]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()[:16]


def kind_noun(kind: str | None) -> str:
    """The kind of event in words, for a title or a summary: "designation", "funding round", "announcement"."""
    return _KIND_NOUNS.get(kind or "", "announcement")


def entry_id_for(announcement_id: str) -> str:
    return _ENTRY_PREFIX + announcement_id


def resolve(announcement_id: str, aliases: Mapping[str, str]) -> str:
    """The id an old announcement id leads to now, following chains of replacements (a cycle ends it)."""
    seen = {announcement_id}
    current = announcement_id
    while current in aliases and aliases[current] not in seen:
        current = aliases[current]
        seen.add(current)
    return current


def derive_announcement_events(
    current: Sequence[Announcement],
    recorded: Sequence[RecordedAnnouncement],
    aliases: Mapping[str, str],
) -> tuple[list[DomainEvent], dict[str, Identity]]:
    """Events for what is new or changed since `recorded`, and each announcement's identity.

    An announcement whose id changed (the official original arrived after a trade report, or two
    merged) is the same announcement: it keeps the entry id first given to its earliest recorded
    predecessor, and is `updated`, never `created` again.
    """
    predecessors: dict[str, list[RecordedAnnouncement]] = {}
    for old in recorded:
        predecessors.setdefault(resolve(old.announcement_id, aliases), []).append(old)
    events: list[DomainEvent] = []
    identities: dict[str, Identity] = {}
    for announcement in current:
        known = sorted(
            predecessors.get(announcement.announcement_id, []),
            key=lambda r: (r.first_recorded_at, r.announcement_id != announcement.announcement_id, r.announcement_id),
        )
        facts_print = fingerprint(announcement)
        if not known:
            entry = entry_id_for(announcement.announcement_id)
            identities[announcement.announcement_id] = Identity(entry, None)
            events.append(_announcement_event("announcement.created", announcement, entry, facts_print, ()))
            continue
        entry = known[0].entry_id
        identities[announcement.announcement_id] = Identity(entry, known[0].first_recorded_at)
        changes = _changes(announcement, known)
        if changes:
            events.append(_announcement_event("announcement.updated", announcement, entry, facts_print, changes))
    return events, identities


def _changes(now: Announcement, known: Sequence[RecordedAnnouncement]) -> tuple[str, ...]:
    """What is different since the recorded state, in words; empty when nothing an update is about."""
    before = known[0]
    # A kind first known is no news; a known kind turning into another is: a reader was told
    # "competition" of what regrouping or the official original now shows to be a designation.
    kind_changed = before.kind is not None and now.kind is not None and before.kind != now.kind
    if len(known) == 1 and known[0].fingerprint == fingerprint(now) and not kind_changed:
        return ()  # at most a new id for the same facts: nothing a reader would call news
    changes: list[str] = []
    if len(known) > 1:
        changes.append(f"merged with {len(known) - 1} other announcement{'s' if len(known) > 2 else ''}")
    if before.original_article_id != now.original_article_id:
        changes.append(f"original now from {now.original_outlet or 'another outlet'}")
    if (before.article_count or 0) < now.article_count:
        more = now.article_count - (before.article_count or 0)
        changes.append(f"{more} more article{'s' if more > 1 else ''} ({now.article_count} in all)")
    elif (before.article_count or 0) > now.article_count:
        changes.append(f"{now.article_count} article{'s' if now.article_count != 1 else ''} now")
    if before.institute_count != now.institute_count:
        changes.append(f"institute count {before.institute_count} -> {now.institute_count}")
    if before.funding_gbp != now.funding_gbp:
        changes.append(f"funding {money(before.funding_gbp)} -> {money(now.funding_gbp)}")
    if not changes and before.fingerprint != fingerprint(now):
        changes.append("institutes named changed")
    if kind_changed:
        changes.insert(0, f"kind {before.kind} -> {now.kind}")
    return tuple(changes)


def _announcement_event(
    name: EventName, announcement: Announcement, entry: str, facts_print: str, changes: tuple[str, ...]
) -> DomainEvent:
    # An announcement is created once (whatever its id becomes); each distinct state is one update.
    key_parts = [name, entry] if name == "announcement.created" else [name, entry, facts_print, announcement.kind or ""]
    payload = {**announcement.payload(), "entry_id": entry, "changes": list(changes)}
    summary = announcement.headline or announcement.announcement_id
    resource = entry.removeprefix(_ENTRY_PREFIX)  # the announcement's first id
    return DomainEvent(name, announcement.announcement_id, resource, _key(key_parts), summary, payload)


def derive_source_events(
    failing_now: Mapping[str, str], recorded: Sequence[FailingSource], now: datetime
) -> tuple[list[DomainEvent], list[FailingSource]]:
    """`source.failing` for each source that started failing since the last pass (once per spell),
    and the failing sources to record: a spell starts when a source enters the set, ends when it leaves."""
    previous = {f.source: f for f in recorded}
    events: list[DomainEvent] = []
    still: list[FailingSource] = []
    for source, reason in sorted(failing_now.items()):
        spell = previous.get(source) or FailingSource(source, now, reason)
        still.append(FailingSource(source, spell.since, reason))
        if source not in previous:
            payload = {"source": source, "reason": reason, "since": spell.since.isoformat()}
            key = _key(["source.failing", source, spell.since.isoformat()])
            events.append(DomainEvent("source.failing", source, source, key, f"{source}: {reason}", payload))
    return events, still


def _key(parts: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
