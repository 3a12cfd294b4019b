"""The example Prefect Automation in automations/: a definition Prefect accepts, whose templates
render a readable message from an `iot_ingest.announcement.*` event's payload."""

from __future__ import annotations

from pathlib import Path

import yaml
from prefect.events.actions import SendNotification
from prefect.events.schemas.automations import AutomationCore, EventTrigger
from prefect.server.utilities.user_templates import render_user_template_sync, validate_user_template


def test_the_example_automation_is_one_prefect_accepts_and_renders() -> None:
    text = (Path(__file__).parents[2] / "automations" / "announcements-to-slack.yaml").read_text("utf-8")
    automation = AutomationCore.model_validate(yaml.safe_load(text))
    assert isinstance(automation.trigger, EventTrigger)
    assert automation.trigger.expect == {"iot_ingest.announcement.created", "iot_ingest.announcement.updated"}
    (action,) = automation.actions
    assert isinstance(action, SendNotification)
    event = {
        "event": "iot_ingest.announcement.updated",
        "payload": {
            "headline": "The First Twelve Institutes of Technology Announced",
            "kind": "designation",
            "changes": ["1 more article (5 in all)"],
            "announced_on": "2019-04-10",
            "institute_count": 12,
            "funding_gbp": 170_000_000,
            "institutes": ["Dudley College of Technology", "York College"],
            "original_url": "https://www.gov.uk/government/news/the-first-twelve-institutes-of-technology-announced",
            "original_outlet": "GOV.UK",
            "article_count": 5,
            "outlets": 5,
        },
    }
    for template in (action.subject, action.body):
        validate_user_template(template)
    subject = render_user_template_sync(action.subject, {"event": event})
    body = render_user_template_sync(action.body, {"event": event})
    assert subject == "Designation updated: The First Twelve Institutes of Technology Announced"
    assert "Kind: designation" in body
    created = {**event, "event": "iot_ingest.announcement.created"}
    assert render_user_template_sync(action.subject, {"event": created}).startswith("New designation: The First")
    funding = {**created, "payload": {**event["payload"], "kind": "funding"}}
    assert render_user_template_sync(action.subject, {"event": funding}).startswith("New funding round: ")
    other = {**created, "payload": {**event["payload"], "kind": None}}
    assert render_user_template_sync(action.subject, {"event": other}).startswith("New announcement: ")
    assert "What changed: 1 more article (5 in all)" in body
    assert "Announced 2019-04-10; 12 institutes; £170,000,000" in body
    assert "Coverage: 5 articles from 5 outlets" in body
