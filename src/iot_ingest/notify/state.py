"""The warehouse side of notifications: reading announcements and what was recorded of them,
storing the new state and the outbox (`notifications`) in the caller's transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from iot_ingest.config import NotifyConfig
from iot_ingest.notify.events import (
    Announcement,
    DomainEvent,
    FailingSource,
    Identity,
    RecordedAnnouncement,
    fingerprint,
)
from iot_ingest.warehouse.load import insert_batch, one
from iot_ingest.warehouse.sql_files import sql

__all__ = [
    "Message",
    "baseline_pending",
    "current_announcements",
    "due_messages",
    "enqueue",
    "entry_ids",
    "failing_now",
    "finish_baseline",
    "last_digest_at",
    "record_announcements",
    "record_attempts",
    "record_failing",
    "recorded_announcements",
    "recorded_failing",
    "replaced_ids",
]


@dataclass(frozen=True)
class Message:
    """One outbox row: an event for one target, not yet delivered."""

    notification_id: str
    event: str
    subject_id: str
    target: str
    digest: str
    payload: dict[str, Any]
    attempts: int


def current_announcements(con: duckdb.DuckDBPyConnection) -> list[Announcement]:
    """Every announcement, newest first, with what a message or a feed entry says about it."""
    rows = con.execute(sql("notify.announcements")).fetchall()
    names = [d[0] for d in con.description or ()]
    return [_announcement(dict(zip(names, row, strict=True))) for row in rows]


def _announcement(row: dict[str, Any]) -> Announcement:
    original = row["original_url"]
    copies = tuple((a["url"], a["outlet"]) for a in row["articles"] if a["url"] != original)
    return Announcement(
        announcement_id=row["announcement_id"],
        headline=row["headline"],
        kind=row["kind"],
        announced_on=row["announced_on"],
        institute_count=row["institute_count"],
        funding_gbp=row["funding_gbp"],
        institutes=tuple(row["institutes"]),
        original_article_id=row["original_article_id"],
        original_url=original,
        original_outlet=row["original_outlet"],
        article_count=row["article_count"],
        outlets=row["outlets"],
        outlet_names=tuple(row["outlet_names"]),
        copies=copies,
        original_published_at=row["original_published_at"],
        latest_article_seen_at=row["latest_article_seen_at"],
        topic=row["topic"],
    )


def replaced_ids(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute(sql("notify.aliases")).fetchall())


def recorded_announcements(con: duckdb.DuckDBPyConnection) -> list[RecordedAnnouncement]:
    return [RecordedAnnouncement(*row) for row in con.execute(sql("notify.recorded_announcements")).fetchall()]


def entry_ids(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute(sql("notify.entry_ids")).fetchall())


def record_announcements(
    con: duckdb.DuckDBPyConnection,
    current: Sequence[Announcement],
    identities: Mapping[str, Identity],
    now: datetime,
) -> None:
    """The state the next pass compares with: every announcement as it is now."""
    rows = [
        {
            "announcement_id": a.announcement_id,
            "entry_id": identities[a.announcement_id].entry_id,
            "fingerprint": fingerprint(a),
            "article_count": a.article_count,
            "institute_count": a.institute_count,
            "funding_gbp": a.funding_gbp,
            "original_article_id": a.original_article_id,
            "kind": a.kind,
            "first_recorded_at": identities[a.announcement_id].first_recorded_at or now,
            "recorded_at": now,
        }
        for a in current
    ]
    if rows:
        insert_batch(con, "notify.replace_recorded_announcements", rows)
    else:
        con.execute(sql("notify.clear_recorded_announcements"))


def baseline_pending(con: duckdb.DuckDBPyConnection) -> bool:
    row = one(con, "notify.baseline_pending")
    return bool(row and row[0])


def finish_baseline(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql("notify.baseline_done"))


def failing_now(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each source failing now and why (the first reason, when there are several)."""
    failing: dict[str, str] = {}
    for source, reason in con.execute(sql("notify.failing_now")).fetchall():
        failing.setdefault(source, reason)
    return failing


def recorded_failing(con: duckdb.DuckDBPyConnection) -> list[FailingSource]:
    return [FailingSource(*row) for row in con.execute(sql("notify.recorded_failing")).fetchall()]


def record_failing(con: duckdb.DuckDBPyConnection, failing: Sequence[FailingSource]) -> None:
    rows = [{"source": f.source, "since": f.since, "reason": f.reason} for f in failing]
    if rows:
        insert_batch(con, "notify.replace_failing", rows)
    else:
        con.execute(sql("notify.clear_failing"))


def enqueue(
    con: duckdb.DuckDBPyConnection, events: Sequence[DomainEvent], targets: Sequence[NotifyConfig], now: datetime
) -> int:
    """One outbox row per event and target that wants it (its events, and for an announcement its
    topics); an event already queued for a target is not again."""
    rows = [
        {
            "notification_id": hashlib.sha256(f"{event.key}\n{target.name}".encode()).hexdigest()[:24],
            "event": event.name,
            "event_key": event.key,
            "subject_id": event.subject_id,
            "target": target.name,
            "digest": target.digest,
            "status": "pending",
            "payload": json.dumps({"event": event.name, "summary": event.summary, **event.payload}, default=str),
            "created_at": now,
            "attempted_at": None,
            "attempts": 0,
            "error": None,
            "topic": event.payload.get("topic"),
        }
        for event in events
        for target in targets
        if event.name in target.events and _subscribed(target, event.payload.get("topic"))
    ]
    insert_batch(con, "notify.enqueue", rows)
    return len(rows)


def _subscribed(target: NotifyConfig, topic: str | None) -> bool:
    """Every target hears of sources (no topic); of announcements, only those of its topics (all when none given)."""
    return topic is None or not target.topics or topic in target.topics


def due_messages(con: duckdb.DuckDBPyConnection) -> list[Message]:
    return [
        Message(nid, event, subject, target, digest, json.loads(payload), attempts)
        for nid, event, subject, target, digest, payload, attempts in con.execute(sql("notify.due")).fetchall()
    ]


def last_digest_at(con: duckdb.DuckDBPyConnection, target: str) -> datetime | None:
    row = one(con, "notify.last_digest", [target])
    return row[0] if row else None


def record_attempts(con: duckdb.DuckDBPyConnection, attempts: Sequence[dict[str, Any]]) -> None:
    """Rows of notification_id, status (sent | failed), attempted_at, error."""
    insert_batch(con, "notify.record_attempts", attempts)
