"""The one UK time zone and month-name table every module reads dates with.

A UK product reads a date without a time as a calendar day in UK time, so the day's bounds in UTC
(for windows compared against UTC timestamps) come from here too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["MONTHS", "MONTH_NAMES", "UK", "uk_day", "uk_day_bounds"]

UK = ZoneInfo("Europe/London")

MONTH_NAMES: tuple[str, ...] = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

# Full names and the abbreviations English pages and feeds use ("Sept" included), lower case.
MONTHS: dict[str, int] = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({name[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)})
MONTHS["sept"] = 9


def uk_day(moment: datetime) -> date:
    """The calendar day in UK time of an aware timestamp (a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UK).date()


def uk_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where a UK calendar day starts and where the next one starts."""
    start = datetime.combine(day, time(0), tzinfo=UK)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=UK)
    return start.astimezone(UTC), end.astimezone(UTC)
