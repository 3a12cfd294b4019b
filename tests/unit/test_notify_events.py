"""Domain events from the recorded and the current state: what is created, updated, failing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from iot_ingest.config import parse_config
from iot_ingest.errors import UsageError
from iot_ingest.notify.deliver import DeliveryError, _expand, redact
from iot_ingest.notify.events import (
    Announcement,
    FailingSource,
    RecordedAnnouncement,
    derive_announcement_events,
    derive_source_events,
    entry_id_for,
    fingerprint,
    resolve,
)
from iot_ingest.notify.render import render_digest, render_message

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

FIRST_TWELVE = Announcement(
    announcement_id="ann_trade",
    headline="The First Twelve Institutes of Technology Announced",
    kind="designation",
    announced_on=date(2019, 4, 10),
    institute_count=12,
    funding_gbp=170_000_000,
    institutes=("Dudley College of Technology", "York College"),
    original_article_id="art_trade",
    original_url="https://www.fenews.co.uk/first-twelve",
    original_outlet="FE News",
    article_count=2,
    outlets=2,
)


def recorded(a: Announcement, *, at: datetime = T0, entry: str | None = None) -> RecordedAnnouncement:
    return RecordedAnnouncement(
        a.announcement_id,
        entry or entry_id_for(a.announcement_id),
        fingerprint(a),
        a.article_count,
        a.institute_count,
        a.funding_gbp,
        a.original_article_id,
        at,
        a.kind,
    )


def test_a_new_announcement_is_created_once_and_then_nothing() -> None:
    events, ids = derive_announcement_events([FIRST_TWELVE], [], {})
    assert [e.name for e in events] == ["announcement.created"]
    assert events[0].resource_id == "ann_trade"
    assert events[0].payload["entry_id"] == "urn:iot-ingest:announcement:ann_trade"
    assert events[0].payload["funding_gbp"] == 170_000_000
    assert events[0].payload["kind"] == "designation"
    assert events[0].payload["institutes"] == ["Dudley College of Technology", "York College"]
    again, _ = derive_announcement_events([FIRST_TWELVE], [recorded(FIRST_TWELVE)], {})
    assert again == []
    assert ids["ann_trade"].entry_id == events[0].payload["entry_id"]


def test_a_new_article_is_one_update_with_its_own_key() -> None:
    more = dataclasses.replace(FIRST_TWELVE, article_count=3, outlets=3)
    events, _ = derive_announcement_events([more], [recorded(FIRST_TWELVE)], {})
    assert [e.name for e in events] == ["announcement.updated"]
    assert events[0].payload["changes"] == ["1 more article (3 in all)"]
    created, _ = derive_announcement_events([FIRST_TWELVE], [], {})
    assert events[0].key != created[0].key
    even_more = dataclasses.replace(more, article_count=4)
    later, _ = derive_announcement_events([even_more], [recorded(more)], {})
    assert later[0].key != events[0].key


def test_the_official_original_arriving_is_an_update_under_the_first_entry_id() -> None:
    official = dataclasses.replace(
        FIRST_TWELVE,
        announcement_id="ann_govuk",
        original_article_id="art_govuk",
        original_outlet="GOV.UK",
        article_count=3,
    )
    events, ids = derive_announcement_events([official], [recorded(FIRST_TWELVE)], {"ann_trade": "ann_govuk"})
    assert [e.name for e in events] == ["announcement.updated"]
    assert events[0].subject_id == "ann_govuk"
    assert events[0].resource_id == "ann_trade"
    assert "original now from GOV.UK" in events[0].payload["changes"]
    assert ids["ann_govuk"].entry_id == entry_id_for("ann_trade")
    assert ids["ann_govuk"].first_recorded_at == T0


def test_a_merge_keeps_the_entry_id_of_the_earliest_recorded() -> None:
    other = dataclasses.replace(FIRST_TWELVE, announcement_id="ann_other", original_article_id="art_other")
    merged = dataclasses.replace(FIRST_TWELVE, announcement_id="ann_other", article_count=4)
    history = [recorded(FIRST_TWELVE, at=T0 + timedelta(hours=1)), recorded(other, at=T0)]
    events, ids = derive_announcement_events([merged], history, {"ann_trade": "ann_other"})
    assert ids["ann_other"].entry_id == entry_id_for("ann_other")
    assert events[0].payload["changes"][0] == "merged with 1 other announcement"


def test_alias_chains_resolve_and_a_cycle_ends() -> None:
    assert resolve("a", {"a": "b", "b": "c"}) == "c"
    assert resolve("a", {"a": "b", "b": "a"}) == "b"
    assert resolve("x", {"a": "b"}) == "x"


def test_a_failing_source_is_told_once_per_spell() -> None:
    events, failing = derive_source_events({"feweek": "stale: expected every 6:00:00"}, [], T0)
    assert [(e.name, e.subject_id) for e in events] == [("source.failing", "feweek")]
    assert failing == [FailingSource("feweek", T0, "stale: expected every 6:00:00")]
    still, failing_later = derive_source_events({"feweek": "discovery failed: 503"}, failing, T0 + timedelta(hours=1))
    assert still == []
    assert failing_later[0].since == T0
    recovered, none = derive_source_events({}, failing_later, T0 + timedelta(hours=2))
    assert recovered == [] and none == []
    again, _ = derive_source_events({"feweek": "stale"}, none, T0 + timedelta(hours=3))
    assert len(again) == 1 and again[0].key != events[0].key


def test_messages_say_what_when_how_many_how_much_and_where() -> None:
    events, _ = derive_announcement_events([FIRST_TWELVE], [], {})
    created = {"event": events[0].name, "summary": events[0].summary, **events[0].payload}
    message = render_message(created)
    assert message.title == "New designation: The First Twelve Institutes of Technology Announced"
    assert "Announced 10 Apr 2019, 12 institutes, £170m" in message.body
    assert "Institutes: Dudley College of Technology, York College" in message.body
    assert "Original: https://www.fenews.co.uk/first-twelve (FE News)" in message.body
    assert "Coverage: 2 articles from 2 outlets" in message.body
    failing = {"event": "source.failing", "summary": "feweek: stale", "source": "feweek", "reason": "stale"}
    digest = render_digest([created, failing], date(2026, 1, 5))
    assert digest.title == "iot-ingest daily digest, 05 Jan 2026: 2 updates"
    assert digest.body.startswith(message.title + "\n  Announced 10 Apr 2019")
    assert "Source failing: feweek: stale" in digest.body


def test_a_changed_kind_is_an_update_that_names_it_and_a_kind_first_known_is_not() -> None:
    as_competition = dataclasses.replace(FIRST_TWELVE, kind="competition")
    events, _ = derive_announcement_events([FIRST_TWELVE], [recorded(as_competition)], {})
    assert [e.name for e in events] == ["announcement.updated"]
    assert events[0].payload["changes"] == ["kind competition -> designation"]
    message = render_message({"event": events[0].name, "summary": events[0].summary, **events[0].payload})
    assert message.title == "Designation updated: The First Twelve Institutes of Technology Announced"
    assert "What changed: kind competition -> designation" in message.body
    more = dataclasses.replace(FIRST_TWELVE, article_count=3)
    both, _ = derive_announcement_events([more], [recorded(as_competition)], {})
    assert both[0].payload["changes"] == ["kind competition -> designation", "1 more article (3 in all)"]
    # The same facts told as another kind are another update, not one already sent.
    back, _ = derive_announcement_events([as_competition], [recorded(FIRST_TWELVE)], {})
    assert back[0].key != events[0].key
    assert derive_announcement_events([FIRST_TWELVE], [recorded(FIRST_TWELVE)], {})[0] == []
    untold = dataclasses.replace(recorded(FIRST_TWELVE), kind=None)
    assert derive_announcement_events([FIRST_TWELVE], [untold], {})[0] == []


@pytest.mark.parametrize(
    ("kind", "created", "updated"),
    [
        ("competition", "New competition", "Competition updated"),
        ("funding", "New funding round", "Funding round updated"),
        ("other", "New announcement", "Announcement updated"),
        (None, "New announcement", "Announcement updated"),
    ],
)
def test_a_title_says_what_kind_of_event_it_is(kind: str | None, created: str, updated: str) -> None:
    payload = {"summary": "Headline", "kind": kind, "article_count": 1, "outlets": 1}
    assert render_message({**payload, "event": "announcement.created"}).title == f"{created}: Headline"
    assert render_message({**payload, "event": "announcement.updated"}).title == f"{updated}: Headline"


def test_secrets_come_from_the_environment_and_are_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config('[[notify]]\nname = "slack"\nurl = "slack://${SLACK_TOKEN}/#iot"\n', origin="test")
    target = config.notify[0]
    monkeypatch.delenv("SLACK_TOKEN", raising=False)
    with pytest.raises(DeliveryError, match="environment variable SLACK_TOKEN is not set"):
        _expand(target)
    monkeypatch.setenv("SLACK_TOKEN", "T1/B2/s3cr3t")
    url, secrets = _expand(target)
    assert url == "slack://T1/B2/s3cr3t/#iot"
    assert redact(f"could not post to {url} with T1/B2/s3cr3t", secrets) == (
        "could not post to [redacted] with [redacted]"
    )


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ('[[notify]]\nname = "a"\nurl = "json://h"\ndigest = "weekly"\n', "notify[0].digest"),
        ('[[notify]]\nname = "a"\nurl = "json://h"\nevents = ["article.created"]\n', "notify[0].events[0]"),
        ('[[notify]]\nname = "a"\nurl = "json://h"\n[[notify]]\nname = "a"\nurl = "json://i"\n', "used twice"),
        ('[[notify]]\nname = "a"\nurl = "not a url"\n', "notify[0].url"),
    ],
)
def test_bad_notify_tables_are_usage_errors(toml: str, problem: str) -> None:
    with pytest.raises(UsageError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        parse_config(toml, origin="test")
