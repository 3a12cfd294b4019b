"""A date for an article whose page gives none, from the best evidence there is, and where it came
from. Pure functions.

Evidence, best first: a date in one of the addresses it was seen at (/2019/04/10/); the day its text
says is today ("announced today (8 October 2020)"); the article it copies (a republished release
runs the day the release does); last, once it is grouped, its announcement's original. None of it
may put an article after it was first captured: a page cannot be published after it was fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from iot_ingest.ukdates import uk_day_bounds

__all__ = ["INFERRED", "DateEvidence", "Dated", "infer_date"]

INFERRED = ("url", "text", "copy", "announcement")  # sources a later load may revise; 'page' it may not

_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[^\d])")
_SLACK = timedelta(days=1)  # the capture clock and the publisher's need not agree to the hour


@dataclass(frozen=True)
class DateEvidence:
    urls: tuple[str, ...]
    text_date: date | None  # the day the text says is today (facts' announced_on)
    copied: tuple[datetime, ...]  # dates of the dated articles it copies, its original's first
    first_seen_at: datetime | None


@dataclass(frozen=True)
class Dated:
    published_at: datetime
    source: str


def infer_date(evidence: DateEvidence) -> Dated | None:
    """The best date the evidence gives an undated article, or None."""
    candidates: Iterable[tuple[str, datetime | None]] = (
        ("url", _from_urls(evidence.urls)),
        ("text", uk_day_bounds(evidence.text_date)[0] if evidence.text_date else None),
        ("copy", evidence.copied[0] if evidence.copied else None),
    )
    for source, when in candidates:
        if when is not None and _possible(when, evidence.first_seen_at):
            return Dated(when, source)
    return None


def _possible(when: datetime, first_seen_at: datetime | None) -> bool:
    return first_seen_at is None or when <= first_seen_at + _SLACK


def _from_urls(urls: Iterable[str]) -> datetime | None:
    for url in sorted(urls):
        match = _URL_DATE.search(url)
        if match:
            try:
                return uk_day_bounds(date(*(int(part) for part in match.groups())))[0]
            except ValueError:
                continue
    return None
