"""The one interface every source adapter implements, and what they hand back."""

from __future__ import annotations

import calendar
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from iot_ingest.archive import Capture
from iot_ingest.config import AnySource
from iot_ingest.fetch import Accept, FetchOutcome
from iot_ingest.ukdates import UK, uk_day

__all__ = [
    "Cursor",
    "Discovered",
    "DiscoveryFailed",
    "MonthlyBackfill",
    "Source",
    "SourceContext",
    "Window",
    "month_windows",
]


class DiscoveryFailed(Exception):
    """A listing, feed, sitemap or API page could not be read: the window is not complete."""


@dataclass(frozen=True)
class Window:
    """Days from `since` to `until`, both included (UTC)."""

    since: date
    until: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time.min, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the window."""
        return datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=UTC)

    def holds(self, when: datetime | None) -> bool:
        if when is None:
            return False
        if _uk_midnight(when):
            # How a date without a time is read (a UK calendar day): in the window of that day,
            # even when the day starts the evening before in UTC.
            return self.since <= uk_day(when) <= self.until
        return self.start <= when < self.end

    def halves(self) -> tuple[Window, Window] | None:
        days = (self.until - self.since).days
        if days < 1:
            return None
        middle = self.since + timedelta(days=days // 2)
        return Window(self.since, middle), Window(middle + timedelta(days=1), self.until)

    def __str__(self) -> str:
        return f"{self.since.isoformat()}..{self.until.isoformat()}"


@dataclass(frozen=True)
class Discovered:
    """An item a source found: where to fetch it and what discovery already says about it."""

    url: str
    title: str | None = None
    summary: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None  # a change marker (lastmod, public_timestamp)
    fallback_url: str | None = None  # fetched when `url` fails (the HTML page of an API item)
    inline: Capture | None = None  # full text from discovery, used when no page can be had
    archived_as: str | None = None  # the original URL a snapshot is archived under (wayback)
    captured_at: datetime | None = None  # the snapshot's own capture time (wayback)


class SourceContext(Protocol):
    """What a source may do: fetch (recorded and archived), and keep state between runs. A fetch
    says what it is for (`accept`: a feed, a sitemap, an API), which decides the content types a
    response may have (fetch.settings.CONTENT_TYPES)."""

    async def get(self, url: str, *, accept: Accept = "page") -> FetchOutcome: ...

    def state(self, key: str) -> Any: ...

    def set_state(self, key: str, value: Any) -> None: ...


def _uk_midnight(when: datetime) -> bool:
    local = when.astimezone(UK) if when.tzinfo is not None else when
    return local.time() == time.min


@dataclass(frozen=True)
class Cursor:
    """A source's incremental cursor, kept in its state under `key`: how far its last run got (the
    newest change it saw). It moves forwards only: a run that saw nothing newer, or older items
    only, leaves it where it was, so an item is never skipped because a watermark went backwards."""

    key: str
    lookback_days: int

    def last(self, ctx: SourceContext) -> datetime | None:
        from iot_ingest.extract.dates import parse_date

        value = ctx.state(self.key)
        return parse_date(value) if isinstance(value, str) else None

    def since(self, ctx: SourceContext) -> datetime:
        """Where an incremental run starts: the last watermark, or `lookback_days` ago on a first run."""
        return self.last(ctx) or datetime.now(UTC) - timedelta(days=self.lookback_days)

    def advance(self, ctx: SourceContext, newest: datetime | None) -> None:
        last = self.last(ctx)
        if newest is not None and (last is None or newest > last):
            ctx.set_state(self.key, newest.isoformat())


def month_windows(since: date, until: date) -> list[Window]:
    """Calendar-month windows covering [since, until], the first and last clipped to it."""
    windows = []
    start = since
    while start <= until:
        last_day = date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
        end = min(last_day, until)
        windows.append(Window(start, end))
        start = end + timedelta(days=1)
    return windows


class Source(Protocol):
    """A source adapter: it owns how its items are found, its incremental state (through
    `SourceContext.state`) and the windows a backfill of it is cut into."""

    @property
    def config(self) -> AnySource: ...

    def discover(self, ctx: SourceContext, window: Window | None) -> AsyncIterator[Discovered]:
        """Items in `window`, or (None) what is new since the last run."""
        ...

    def backfill_windows(self, span: Window) -> list[Window]:
        """The windows a backfill over `span` runs, each recorded and resumed on its own."""
        ...


class MonthlyBackfill:
    """The usual backfill: calendar months, so a re-run resumes month by month."""

    def backfill_windows(self, span: Window) -> list[Window]:
        return month_windows(span.since, span.until)
