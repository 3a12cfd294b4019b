"""Sums of money in pounds: "£170 million", "£170m", "£1.5bn", "up to £120m", "£21,000,000".

The headline sum is the first the title gives, else the first in the body that is not context: a
total across waves ("both waves", "in total", "combined"), or the larger pot a part comes from
("£16.8m of a £32.5m project", "from the government's £170m fund").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iot_ingest.extract.facts.text_spans import after_in_sentence, before_in_sentence, sentence_at

__all__ = ["MAX_GBP", "Sum", "find_sums", "headline_sum"]

MAX_GBP = 10**12  # nothing here is bigger than a trillion pounds: beyond it is a parsing accident

_MULTIPLIERS = {"bn": 10**9, "billion": 10**9, "m": 10**6, "mn": 10**6, "million": 10**6, "k": 10**3, "thousand": 10**3}
_MONEY = re.compile(
    r"(?:\b(?P<qualifier>up to|around|about|almost|nearly|more than|over|at least|a further|an extra|another)\s+)?"
    r"£\s?(?P<amount>\d{1,3}(?:,\d{3})+|\d{1,15}(?:\.\d{1,6})?)(?!\d)\s?"
    r"(?P<unit>bn|billion|mn|m|million|k|thousand)?\b",
    re.IGNORECASE,
)
_TOTAL = re.compile(
    r"\b(totals?|totalling|in total|both waves|combined|altogether|overall|between them|so far|together|two waves)\b",
    re.IGNORECASE,
)
_PART_OF = re.compile(r"\b(of a|of the|from (?:a|the)(?: government[’']s)?|out of(?: a| the)?)\s*$", re.IGNORECASE)
# What a sum is for: "for ..." or "to ..." soon after it, before the clause ends or another sum.
_PURPOSE = re.compile(r"^(?:[\w’'-]+\s+){0,4}?(?:for|to|towards|to fund|will fund)\s+(?P<purpose>[^,;:()£]+)")
_PURPOSE_WORDS = 8


@dataclass(frozen=True)
class Sum:
    text: str  # as written, qualifier included
    gbp: int
    qualifier: str | None  # "up to", "around", ... None when the sum is exact
    purpose: str | None  # what it is for, in the article's words
    context: bool  # a total or the pot a part comes from, not the sum announced


def find_sums(text: str) -> list[Sum]:
    found = []
    for match in _MONEY.finditer(text):
        gbp = _pounds(match.group("amount"), match.group("unit"))
        if gbp is None:
            continue
        before = before_in_sentence(text, match.start(), limit=40)
        context = bool(_TOTAL.search(sentence_at(text, match.start(), match.end())) or _PART_OF.search(before))
        found.append(
            Sum(
                text=match.group(0).strip(),
                gbp=gbp,
                qualifier=(match.group("qualifier") or "").lower() or None,
                purpose=_purpose(after_in_sentence(text, match.end(), limit=160)),
                context=context,
            )
        )
    return found


def headline_sum(title_sums: list[Sum], body_sums: list[Sum]) -> Sum | None:
    if title_sums:
        return title_sums[0]
    announced = [s for s in body_sums if not s.context]
    candidates = announced or body_sums
    return candidates[0] if candidates else None


def _pounds(amount: str, unit: str | None) -> int | None:
    try:
        value = float(amount.replace(",", "")) * _MULTIPLIERS.get((unit or "").lower(), 1)
    except (ValueError, OverflowError):
        return None
    if not 0 < value <= MAX_GBP:
        return None
    return round(value)


def _purpose(after: str) -> str | None:
    match = _PURPOSE.match(after.strip())
    if not match:
        return None
    words = match.group("purpose").split()[:_PURPOSE_WORDS]
    return " ".join(words).rstrip(".") or None
