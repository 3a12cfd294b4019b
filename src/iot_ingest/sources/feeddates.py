"""Dates as feeds write them: RFC 822 in its real-world forms, ISO 8601 and W3C-DTF.

A date keeps its time whatever its zone is written as. A zone nobody can place (a misspelling, a
local abbreviation) keeps the time too, read as UTC, and says so, rather than losing the time and
falling to midnight of the wrong day. A date without a time is a UK calendar date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from iot_ingest.extract.dates import parse_date
from iot_ingest.ukdates import MONTHS

__all__ = ["FeedDate", "parse_feed_date"]


@dataclass(frozen=True)
class FeedDate:
    when: datetime  # aware, UTC
    zone_known: bool = True  # False: the written zone was not recognised and UTC was assumed


# Hours east of UTC. The generic US names (ET, CT...) are read as standard time, as feed readers do.
_ZONES: dict[str, float] = {
    "ut": 0, "utc": 0, "gmt": 0, "z": 0, "uct": 0, "zulu": 0, "wet": 0, "bst": 1, "ist": 1, "west": 1,
    "est": -5, "edt": -4, "et": -5, "cst": -6, "cdt": -5, "ct": -6, "mst": -7, "mdt": -6, "mt": -7,
    "pst": -8, "pdt": -7, "pt": -8, "ast": -4, "adt": -3, "at": -4, "akst": -9, "akdt": -8, "hst": -10,
    "met": 1, "mest": 2, "cet": 1, "cest": 2, "mez": 1, "mesz": 2, "eet": 2, "eest": 3, "msk": 3,
    "jst": 9, "kst": 9, "hkt": 8, "sgt": 8, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
}  # fmt: skip
# RFC 822's military letters: A-I are -1..-9, K-M -10..-12, N-Y +1..+12 (J is not used).
_ZONES.update({chr(ord("a") + n): -(n + 1) for n in range(9)})
_ZONES.update({letter: -(10 + n) for n, letter in enumerate("klm")})
_ZONES.update({chr(ord("n") + n): n + 1 for n in range(12)})

_RFC822 = re.compile(
    r"^\s*(?:[a-z]{2,}\.?\s*,*\s*)?"  # the weekday, with any number of commas after it
    r"(\d{1,2})[\s-]+([a-z]{3,})\.?[\s,-]+(\d{2,4}),?"  # day month year
    r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"  # time, seconds optional
    r"\s*,?\s*([+-]\d{1,2}:?\d{2}|[a-z][a-z0-9/_+:-]*)?)?"
    r"\s*(?:\([^)]*\))?\s*$",  # a trailing comment such as "(CET)"
    re.IGNORECASE,
)
# asctime, as some feeds write it: "Sun Jan  4 16:29:06 PST 2004" (zone optional).
_ASCTIME = re.compile(
    r"^\s*(?:[a-z]{3},?\s+)?([a-z]{3,})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s+(?:([+-]\d{2}:?\d{2}|[a-z][a-z0-9/_+:-]*)\s+)?(\d{4})\s*$",
    re.IGNORECASE,
)
_ETC_GMT = re.compile(r"^(?:etc/)?(?:gmt|utc|ut)([+-]\d{1,2})?(?::?(\d{2}))?$", re.IGNORECASE)
_W3C = re.compile(
    r"^\s*(\d{4})-?(\d{2})-?(\d{2})[t\s](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?\s*$",
    re.IGNORECASE,
)


def parse_feed_date(text: str | None) -> FeedDate | None:
    if not text or not text.strip():
        return None
    value = text.strip()
    return _rfc822(value) or _asctime(value) or _w3c(value) or _other(value)


def _rfc822(value: str) -> FeedDate | None:
    match = _RFC822.match(value)
    if match is None:
        return None
    day, month_name, year_text, hour, minute, second, zone = match.groups()
    month = MONTHS.get(month_name.lower()) or MONTHS.get(month_name.lower()[:3])
    if month is None:
        return None
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 50 else 1900  # RFC 2822's rule for two-digit years
    if hour is None:
        return _day_only(year, month, int(day))
    return _at(year, month, int(day), int(hour), int(minute), int(second or 0), zone)


def _asctime(value: str) -> FeedDate | None:
    match = _ASCTIME.match(value)
    if match is None:
        return None
    month_name, day, hour, minute, second, zone, year = match.groups()
    month = MONTHS.get(month_name.lower()) or MONTHS.get(month_name.lower()[:3])
    if month is None:
        return None
    return _at(int(year), month, int(day), int(hour), int(minute), int(second or 0), zone)


def _at(year: int, month: int, day: int, hour: int, minute: int, second: int, zone: str | None) -> FeedDate | None:
    try:
        local = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    named = _named_zone(zone)
    if named is not None:
        return FeedDate(local.replace(tzinfo=named).astimezone(UTC))
    offset, known = _offset(zone)
    return FeedDate((local - offset).replace(tzinfo=UTC), known)


def _named_zone(zone: str | None) -> ZoneInfo | None:
    """A time zone database name (Europe/London, Etc/GMT+5): its offset on that date, DST included."""
    if not zone or "/" not in zone:
        return None
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _offset(zone: str | None) -> tuple[timedelta, bool]:
    if zone is None:
        return timedelta(0), False  # no zone written: RFC 822 requires one, so it is a guess
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "").rjust(4, "0")
        sign = -1 if zone[0] == "-" else 1
        return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])), True
    name = zone.lower()
    if name in _ZONES:
        return timedelta(hours=_ZONES[name]), True
    etc = _ETC_GMT.match(name)
    if etc:
        hours, minutes = int(etc.group(1) or 0), int(etc.group(2) or 0)
        # POSIX turns the sign round in Etc/GMT+5 (five hours west); GMT+5 in a date means east.
        sign = -1 if name.startswith("etc/") else 1
        delta = timedelta(hours=abs(hours), minutes=minutes) * (1 if hours >= 0 else -1)
        return sign * delta, True
    return timedelta(0), False


def _w3c(value: str) -> FeedDate | None:
    match = _W3C.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    if zone is None:
        return FeedDate(local.replace(tzinfo=UTC), False)
    if zone.lower() == "z":
        return FeedDate(local.replace(tzinfo=UTC))
    digits = zone[1:].replace(":", "").ljust(4, "0")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    try:
        aware = local.replace(tzinfo=timezone(delta if zone[0] == "+" else -delta))
        return FeedDate(aware.astimezone(UTC))
    except (ValueError, OverflowError):
        return None


def _day_only(year: int, month: int, day: int) -> FeedDate | None:
    try:
        return _other(f"{year:04d}-{month:02d}-{day:02d}")
    except ValueError:
        return None


def _other(value: str) -> FeedDate | None:
    when = parse_date(value)  # a date without a time: midnight of that UK calendar day
    return FeedDate(when) if when is not None else None
