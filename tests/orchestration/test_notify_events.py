"""The ingest flow emits each domain event to Prefect once, as `iot_ingest.<event>`, with the
announcement as its resource and the facts as its payload: what a Prefect Automation acts on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.events import Event
from prefect.events.clients import AssertingEventsClient
from prefect.events.worker import EventsWorker

from flows.ingest import ingest
from iot_ingest.demo.sites import DemoSites

pytestmark = pytest.mark.integration


@pytest.fixture
def events_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[EventsWorker]:
    """Prefect's events worker with a client that keeps what it is sent, for the test to read."""
    worker = EventsWorker.instance(AssertingEventsClient)
    monkeypatch.setattr(EventsWorker, "instance", lambda *_: worker)
    try:
        yield worker
    finally:
        worker.drain()


def ours(worker: EventsWorker) -> list[Event]:
    worker.drain()
    client = worker._client
    assert isinstance(client, AssertingEventsClient)
    return [e for e in client.events if e.event.startswith("iot_ingest.")]


def test_the_ingest_flow_emits_one_created_event_per_new_announcement(
    events_worker: EventsWorker, tmp_path: Path
) -> None:
    db = tmp_path / "iot.duckdb"
    with DemoSites() as sites:
        config = tmp_path / "iot-ingest.toml"
        config.write_text(sites.config_toml(), "utf-8")
        ingest(db=str(db), config=str(config))
        first = ours(events_worker)
        ingest(db=str(db), config=str(config))
        second = ours(events_worker)

    assert [e.event for e in first] == ["iot_ingest.announcement.created"] * 4
    assert second == first  # the second run emitted nothing more
    twelve = next(e for e in first if e.payload["institute_count"] == 12)
    assert (
        f"urn:iot-ingest:announcement:{twelve.resource.id.removeprefix('iot_ingest.announcement.')}"
        == (twelve.payload["entry_id"])
    )
    assert twelve.resource.name == "The First Twelve Institutes of Technology Announced"
    assert twelve.payload["kind"] == "designation"
    assert twelve.payload["announced_on"] == "2019-04-10"
    assert twelve.payload["funding_gbp"] == 170_000_000
    assert twelve.payload["article_count"] == 5 and twelve.payload["outlets"] == 5
    assert len(twelve.payload["institutes"]) == 12
    assert twelve.payload["original_url"].endswith("/the-first-twelve-institutes-of-technology-announced")
