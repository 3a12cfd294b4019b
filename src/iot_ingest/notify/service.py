"""A notification pass after a run: derive the events, record them in the outbox with the new
state (one transaction), then deliver what is due, outside the writer's critical path.

Nothing here fails a run: a target that is down is recorded as failed and retried next pass."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from iot_ingest.config import Config, NotifyConfig
from iot_ingest.notify import state
from iot_ingest.notify.deliver import DeliveryError, deliver
from iot_ingest.notify.events import DomainEvent, derive_announcement_events, derive_source_events
from iot_ingest.notify.render import Rendered, render_digest, render_message
from iot_ingest.ukdates import uk_day
from iot_ingest.warehouse import open_writer

__all__ = ["NotifyOutcome", "deliver_due", "notify_after_run", "record_events"]

_log = logging.getLogger(__name__)


@dataclass
class NotifyOutcome:
    """What a pass found and did: the events (for Prefect to emit) and the messages' fate."""

    events: list[DomainEvent] = field(default_factory=list)
    queued: int = 0
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    delivered: list[tuple[str, Rendered]] = field(default_factory=list)  # (target, message) sent

    def counts(self) -> dict[str, int]:
        """For a run's counts: only what happened (no zeros)."""
        counts = {"events": len(self.events), "notifications_sent": self.sent, "notifications_failed": self.failed}
        return {key: value for key, value in counts.items() if value}


def notify_after_run(db_path: Path, config: Config, run_id: str | None = None) -> NotifyOutcome:
    """The step after every run: events since the last pass, queued for each [[notify]] target, sent."""
    outcome = NotifyOutcome()
    try:
        outcome.events, outcome.queued = record_events(db_path, config)
    except Exception as exc:  # notifications are a by-product: the run's own work is done
        _log.warning("notifications after run %s: could not derive events: %s", run_id or "-", exc)
        outcome.errors.append(f"could not derive events: {exc}")
        return outcome
    if config.notify:
        try:
            deliver_due(db_path, config, outcome)
        except Exception as exc:
            _log.warning("notifications after run %s: could not deliver: %s", run_id or "-", exc)
            outcome.errors.append(f"could not deliver: {exc}")
    return outcome


def record_events(db_path: Path, config: Config) -> tuple[list[DomainEvent], int]:
    """Compare the warehouse with the last pass; store the new state and queue the events, atomically."""
    now = datetime.now(UTC)
    with open_writer(db_path, config) as warehouse:
        con = warehouse.con
        con.begin()
        try:
            current = state.current_announcements(con)
            recorded = state.recorded_announcements(con)
            events, identities = derive_announcement_events(current, recorded, state.replaced_ids(con))
            source_events, failing = derive_source_events(state.failing_now(con), state.recorded_failing(con), now)
            events += source_events
            if state.baseline_pending(con):
                # The warehouse had announcements before notifications existed: history, not news.
                events = []
                state.finish_baseline(con)
            state.record_announcements(con, current, identities, now)
            state.record_failing(con, failing)
            queued = state.enqueue(con, events, config.notify, now)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return events, queued


def deliver_due(db_path: Path, config: Config, outcome: NotifyOutcome) -> None:
    """Send every pending or failed message whose target is configured: immediate ones one by one,
    daily ones as one digest per target, at most once per UK day."""
    targets = {t.name: t for t in config.notify}
    now = datetime.now(UTC)
    with open_writer(db_path, config) as warehouse:
        due = [m for m in state.due_messages(warehouse.con) if m.target in targets]
        last_digest = {name: state.last_digest_at(warehouse.con, name) for name in targets}
    by_target: dict[str, list[state.Message]] = defaultdict(list)
    for message in due:
        by_target[message.target].append(message)
    attempts: list[dict[str, object]] = []
    for name, messages in by_target.items():
        target = targets[name]
        if target.digest == "daily":
            sent_on = last_digest[name]
            if sent_on is not None and uk_day(sent_on) >= uk_day(now):
                continue
            batches = [(messages, render_digest([m.payload for m in messages], uk_day(now)))]
        else:
            batches = [([m], render_message(m.payload)) for m in messages]
        for batch, rendered in batches:
            attempts += _send(target, batch, rendered, outcome)
    with open_writer(db_path, config) as warehouse:
        state.record_attempts(warehouse.con, attempts)


def _send(
    target: NotifyConfig, batch: Sequence[state.Message], rendered: Rendered, outcome: NotifyOutcome
) -> list[dict[str, object]]:
    error: str | None = None
    try:
        deliver(target, rendered)
    except DeliveryError as exc:
        error = str(exc)
        _log.warning("notification not sent: %s (retried next run)", error)
        outcome.errors.append(error)
        outcome.failed += len(batch)
    else:
        outcome.sent += len(batch)
        outcome.delivered.append((target.name, rendered))
    attempted = datetime.now(UTC)
    status = "failed" if error else "sent"
    return [
        {"notification_id": m.notification_id, "status": status, "attempted_at": attempted, "error": error}
        for m in batch
    ]
