"""Dates in an article's text, each classified against the day it was published: the announcement
itself ("today (10 April 2019)"), the past, or the future (an opening, a deadline, other)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from iot_ingest.extract.facts.text_spans import after_in_sentence, before_in_sentence
from iot_ingest.ukdates import MONTH_NAMES, UK

__all__ = ["DateMention", "announcement_date", "find_dates", "uk_date"]

_MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTH = r"(?P<month>" + "|".join(m.capitalize() for m in _MONTHS) + r")"
_DATE = re.compile(
    r"\b(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)?[ ]+" + _MONTH + r"(?:,)?[ ]+(?P<year>(?:19|20)\d\d)"
    r"|(?P<month2>" + "|".join(m.capitalize() for m in _MONTHS) + r")[ ]+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?,[ ]+"
    r"(?P<year2>(?:19|20)\d\d)"
    r"|(?P<month3>" + "|".join(m.capitalize() for m in _MONTHS) + r")[ ]+(?P<year3>(?:19|20)\d\d)"
    r"|(?:in|from|by|until|since|during)[ ]+(?P<year4>(?:19|20)\d\d)(?![/\d-]))\b"
)
_TODAY = re.compile(r"\btoday\s*\(\s*$", re.IGNORECASE)
_DEADLINE = re.compile(
    r"\b(deadline|by|closes?|closing|close[sd]? on|submitted|applications?|bids? (?:must|should))\b", re.I
)
_OPENING = re.compile(r"\b(open(?:s|ing|ed)?|launch(?:es|ed|ing)?|start(?:s|ing)?|from|welcome)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    text: str
    date: str  # ISO: 2019-04-10, or 2019-04 / 2020 when the text is no more precise
    kind: str  # announcement | past | current | opening | deadline | future


def uk_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return (moment.astimezone(UK) if moment.tzinfo else moment).date()


def find_dates(text: str, published_on: date | None) -> list[DateMention]:
    found = []
    reference = published_on or announcement_date(text, None)
    for match in _DATE.finditer(text):
        parsed = _parse(match)
        if parsed is None:
            continue
        iso, key = parsed
        before = before_in_sentence(text, match.start(), limit=60)
        if _TODAY.search(before):
            kind = "announcement"
        elif reference is None:
            kind = "undated"
        else:
            kind = _classify(key, reference, before + " " + after_in_sentence(text, match.end(), limit=20))
        found.append(DateMention(text=match.group(0), date=iso, kind=kind))
    return found


def announcement_date(text: str, published_on: date | None) -> date | None:
    """The day the text says is today ("today (8 October 2020)"), else the day it was published."""
    for match in _DATE.finditer(text):
        parsed = _parse(match)
        if parsed and len(parsed[1]) == 3 and _TODAY.search(before_in_sentence(text, match.start(), limit=60)):
            return date(*parsed[1])
    return published_on


def _parse(match: re.Match[str]) -> tuple[str, tuple[int, ...]] | None:
    groups = match.groupdict()
    year = groups["year"] or groups["year2"] or groups["year3"] or groups["year4"]
    month_name = groups["month"] or groups["month2"] or groups["month3"]
    day = groups["day"] or groups["day2"]
    key: tuple[int, ...] = (int(year),)
    if month_name:
        key += (_MONTHS[month_name.lower()],)
    if day:
        key += (int(day),)
        try:
            date(*key)
        except ValueError:
            return None
    return "-".join(f"{part:02d}" if i else str(part) for i, part in enumerate(key)), key


def _classify(key: tuple[int, ...], reference: date, around: str) -> str:
    ref = (reference.year, reference.month, reference.day)[: len(key)]
    if key < ref:
        return "past"
    if key == ref:
        return "announcement" if len(key) == 3 else "current"
    if _DEADLINE.search(around):
        return "deadline"
    if _OPENING.search(around):
        return "opening"
    return "future"
