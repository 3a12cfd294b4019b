"""Message text: what a person reads in Slack, Teams or an e-mail, from an event's payload."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from iot_ingest.notify.events import kind_noun
from iot_ingest.report.formatting import count, day, money

__all__ = ["Rendered", "render_digest", "render_message"]

_TITLES = {"source.failing": "Source failing"}


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


def render_message(payload: Mapping[str, Any]) -> Rendered:
    """One event as one message, its title saying what kind of event it is ("New designation: ...")."""
    return Rendered(f"{_heading(payload)}: {payload.get('summary', '')}", "\n".join(_lines(payload)))


def render_digest(payloads: Sequence[Mapping[str, Any]], on: date) -> Rendered:
    """Several events as one message, in the order they happened."""
    title = f"iot-ingest daily digest, {day(on)}: {count(len(payloads), 'update')}"
    sections = [f"{render_message(p).title}\n" + "\n".join(f"  {line}" for line in _lines(p)) for p in payloads]
    return Rendered(title, "\n\n".join(sections))


def _heading(payload: Mapping[str, Any]) -> str:
    event = str(payload.get("event", ""))
    noun = kind_noun(payload.get("kind"))
    if event == "announcement.created":
        return f"New {noun}"
    if event == "announcement.updated":
        return f"{noun.capitalize()} updated"
    return _TITLES.get(event, event)


def _lines(payload: Mapping[str, Any]) -> list[str]:
    if payload.get("event") == "source.failing":
        return [f"{payload.get('source')}: {payload.get('reason')}", f"Failing since {payload.get('since')}"]
    lines: list[str] = []
    if changes := payload.get("changes"):
        lines.append("What changed: " + "; ".join(changes))
    announced = payload.get("announced_on")
    facts = [
        f"announced {day(date.fromisoformat(announced))}" if announced else "date not stated",
        count(payload.get("institute_count"), "institute"),
        money(payload.get("funding_gbp")),
    ]
    text = ", ".join(facts)
    lines.append(text[:1].upper() + text[1:])
    if institutes := payload.get("institutes"):
        lines.append("Institutes: " + ", ".join(institutes))
    if payload.get("original_url"):
        lines.append(f"Original: {payload['original_url']} ({payload.get('original_outlet') or 'unknown outlet'})")
    articles, outlets = payload.get("article_count", 0), payload.get("outlets", 0)
    lines.append(f"Coverage: {count(articles, 'article')} from {count(outlets, 'outlet')}")
    return lines
