"""Announcement facts from article text: how many institutes, and the sums of money."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Facts", "Sum", "extract_facts"]

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "twenty": 20, "twenty-one": 21, "twenty one": 21,
}  # fmt: skip
_MULTIPLIERS = {"bn": 10**9, "billion": 10**9, "m": 10**6, "million": 10**6, "k": 10**3, "thousand": 10**3}
_QUALIFIER = r"(?P<qualifier>up to|around|about|almost|nearly|more than|over|at least|a further|an extra)?\s*"
_MONEY = re.compile(
    _QUALIFIER + r"£\s?(?P<amount>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(?P<unit>bn|billion|m|million|k|thousand)?\b",
    re.IGNORECASE,
)
_COUNT = re.compile(
    r"(?P<qualifier>up to|a further|another)?\s*\b(?P<count>\d{1,3}|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")\s+(?:new\s+|more\s+|further\s+|additional\s+)?(?:institutes of technology|IoTs)\b",
    re.IGNORECASE,
)
_MAX_GBP = 10**12  # nothing here is bigger than a trillion pounds: beyond it is a parsing accident


@dataclass(frozen=True)
class Sum:
    text: str
    gbp: int
    qualifier: str | None


@dataclass(frozen=True)
class Facts:
    institute_count: int | None
    count_qualifier: str | None
    funding_gbp: int | None
    sums: tuple[Sum, ...]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def extract_facts(title: str | None, body: str) -> Facts:
    """The headline count and sum are the first the title gives, else the first in the body."""
    sums = _sums(body)
    title_sums = _sums(title or "")
    headline_sum = title_sums[0] if title_sums else (sums[0] if sums else None)
    count, qualifier = _count(title or "")
    if count is None:
        count, qualifier = _count(body)
    return Facts(
        institute_count=count,
        count_qualifier=qualifier,
        funding_gbp=headline_sum.gbp if headline_sum else None,
        sums=tuple(sums),
    )


def _sums(text: str) -> list[Sum]:
    found = []
    for match in _MONEY.finditer(text):
        amount = float(match.group("amount").replace(",", ""))
        unit = (match.group("unit") or "").lower()
        gbp = round(amount * _MULTIPLIERS.get(unit, 1))
        if 0 < gbp <= _MAX_GBP:
            qualifier = (match.group("qualifier") or "").lower() or None
            found.append(Sum(text=match.group(0).strip(), gbp=gbp, qualifier=qualifier))
    return found


def _count(text: str) -> tuple[int | None, str | None]:
    for match in _COUNT.finditer(text):
        raw = match.group("count").lower()
        count = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if count and 0 < count < 100:
            return count, (match.group("qualifier") or "").lower() or None
    return None, None
