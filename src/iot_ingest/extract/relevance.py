"""Is an article about the tracked topic? A weighted score with its reasons, from a topic file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Relevance", "Topic", "load_topic", "score_relevance"]

DEFAULT_TOPIC = "institutes_of_technology"


@dataclass(frozen=True)
class Rule:
    label: str
    pattern: re.Pattern[str]
    weight: float
    max_hits: int
    kind: str  # required | supporting | negative
    context: re.Pattern[str] | None = None
    min_hits: int = 1  # a required rule met fewer times is a passing mention, not the subject


@dataclass(frozen=True)
class Topic:
    name: str
    threshold: float
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    score: float
    reasons: tuple[tuple[str, int, float], ...]  # (rule label, hits, contribution)


@cache
def load_topic(name: str = DEFAULT_TOPIC) -> Topic:
    data = tomllib.loads(resources.files("iot_ingest").joinpath("topics", f"{name}.toml").read_text("utf-8"))
    rules = []
    for kind in ("required", "supporting", "negative"):
        for entry in data.get(kind, []):
            context = entry.get("context")
            rules.append(
                Rule(
                    label=entry["label"],
                    pattern=re.compile(entry["pattern"], re.IGNORECASE),
                    weight=float(entry["weight"]),
                    max_hits=int(entry.get("max_hits", 3)),
                    kind=kind,
                    context=re.compile(context, re.IGNORECASE) if context else None,
                    min_hits=int(entry.get("min_hits", 1)),
                )
            )
    return Topic(name=data["name"], threshold=float(data["threshold"]), rules=tuple(rules))


def score_relevance(title: str | None, body: str, topic: Topic | None = None) -> Relevance:
    """Required rules first: a text in which none of them matches at all cannot be about the topic,
    and is scored no further (most pages, so this keeps relevance cheap); otherwise every rule."""
    topic = topic or load_topic()
    text = f"{title or ''}\n\n{body}"
    reasons = []
    score = 0.0
    required_hit = mentioned = False
    for kind in ("required", "supporting", "negative"):
        if kind != "required" and not mentioned:
            break
        for rule in topic.rules:
            if rule.kind != kind:
                continue
            hits = min(len(rule.pattern.findall(text)), rule.max_hits)
            if not hits or (rule.context is not None and not rule.context.search(text)):
                continue
            contribution = hits * rule.weight
            score += contribution
            mentioned = mentioned or rule.kind == "required"
            required_hit = required_hit or (rule.kind == "required" and hits >= rule.min_hits)
            reasons.append((rule.label, hits, contribution))
    return Relevance(relevant=required_hit and score >= topic.threshold, score=score, reasons=tuple(reasons))
