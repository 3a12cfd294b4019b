"""Is an article about a topic? A weighted score with its reasons, from the topic's rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Relevance", "RelevanceRules", "Rule", "score_relevance"]


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
class RelevanceRules:
    """A topic's relevance rules: relevant when the weighted hits reach `threshold` and at least one
    required rule is met (see a topic file's [[required]], [[supporting]] and [[negative]])."""

    threshold: float
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    score: float
    reasons: tuple[tuple[str, int, float], ...]  # (rule label, hits, contribution)


def score_relevance(title: str | None, body: str, topic: RelevanceRules) -> Relevance:
    """Required rules first: a text in which none of them matches at all cannot be about the topic,
    and is scored no further (most pages, so this keeps relevance cheap); otherwise every rule."""
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
