"""After a run: the notification pass as a task, and its domain events emitted to Prefect as
`iot_ingest.<event>` (an Automation turns them into Slack, Teams or e-mail messages)."""

from __future__ import annotations

import uuid

from prefect import get_run_logger, task
from prefect.events import emit_event

from flows._support import settings
from iot_ingest.notify import DomainEvent, notify_after_run

__all__ = ["EVENT_PREFIX", "emit_domain_events", "notify_task"]

EVENT_PREFIX = "iot_ingest."
# Event ids derived from the event's identity: a Prefect server drops an id it has seen.
_EVENT_IDS = uuid.UUID("0b9f5a3e-2f55-4d2e-9d8e-6c1f3a7b4e21")


@task(task_run_name="notify")
def notify_task(db: str, config: str | None, run: str) -> dict[str, int]:
    """Never raises for a target that is down (the library records and retries it next run)."""
    db_path, cfg = settings(db, config)
    outcome = notify_after_run(db_path, cfg, run)
    emit_domain_events(outcome.events)
    logger = get_run_logger()
    for error in outcome.errors:
        logger.warning("notification: %s", error)
    return outcome.counts()


def emit_domain_events(events: list[DomainEvent]) -> None:
    for event in events:
        kind = "source" if event.name.startswith("source.") else "announcement"
        name = event.payload.get("source") if kind == "source" else event.payload.get("headline")
        resource = {
            "prefect.resource.id": f"iot_ingest.{kind}.{event.resource_id}",
            "prefect.resource.name": str(name or event.subject_id),
            "iot_ingest.subject_id": event.subject_id,
        }
        emit_event(
            event=EVENT_PREFIX + event.name,
            resource=resource,
            payload=dict(event.payload),
            id=uuid.uuid5(_EVENT_IDS, event.key),
        )
