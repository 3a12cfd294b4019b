"""Telling people what a run found: domain events, [[notify]] messages through Apprise (with the
outbox in `notifications`) and the Atom feed of announcements. Prefect events are emitted by the
flows from the events a pass returns; nothing here imports Prefect."""

from __future__ import annotations

from iot_ingest.notify.atom import write_feed
from iot_ingest.notify.events import Announcement, DomainEvent
from iot_ingest.notify.service import NotifyOutcome, notify_after_run

__all__ = ["Announcement", "DomainEvent", "NotifyOutcome", "notify_after_run", "write_feed"]
