"""Dates from metadata and visible text, always timezone-aware; a naive time is UK time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from iot_ingest.ukdates import MONTHS as _MONTHS
from iot_ingest.ukdates import UK

__all__ = ["UK", "parse_date", "plausible"]

# Built from the one month table, longest names first so "september" wins over "sep".
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


def parse_date(text: object) -> datetime | None:
    """An ISO 8601 timestamp or a written date ("10 April 2019", "April 10, 2019", "10/04/2019").

    A date without a time is midnight UK time; numeric dates are day-first (a UK product).
    """
    if not isinstance(text, str) or not text:
        return None
    value = text.strip()
    if not value:
        return None
    iso = _parse_iso(value)
    if iso is not None:
        return iso
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        match = pattern.search(value)
        if match:
            if order == "dmy":
                day, month_name, year = match.groups()
            else:
                month_name, day, year = match.groups()
            return _make(int(year), _month_key(month_name), int(day))
    match = _NUMERIC.search(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _make(year, month, day)
    return None


def plausible(when: datetime | None, *, not_after: datetime | None = None) -> bool:
    """Not before the web mattered here, and not in the future of when the page was fetched."""
    if when is None:
        return False
    latest = (not_after or datetime.now(UTC)) + timedelta(days=1)
    return _EARLIEST <= when <= latest


def _month_key(name: str) -> int:
    key = name.lower().rstrip(".")
    if key in _MONTHS:
        return _MONTHS[key]
    return _MONTHS[key[:3]]


def _parse_iso(value: str) -> datetime | None:
    candidate = value.replace("Z", "+00:00").replace("z", "+00:00")
    if _ISO_DAY.match(candidate):
        try:
            day = datetime.fromisoformat(candidate)
        except ValueError:
            return None
        try:
            return day.replace(tzinfo=UK).astimezone(UTC)
        except OverflowError:
            return None
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", candidate):
        return None
    # Offsets written as +0100 are not accepted by fromisoformat before 3.11 edge cases; normalise.
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UK)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset: not a date any page was published on
        return None


def _make(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UK).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
