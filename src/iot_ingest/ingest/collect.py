"""One source's incremental run, or one source over one backfill window: the units of work that
the run loop (`iot_ingest.orchestrate`) maps.

Discovery and pages are fetched through the polite client; every response is archived and every
attempt recorded. A source or window that fails is recorded with its reason and the others go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from iot_ingest import progress
from iot_ingest.archive import Capture, RawArchive
from iot_ingest.ccnews.backfill import ScanMap, ccnews_window
from iot_ingest.config import AnySource, CCNewsSource, Config
from iot_ingest.errors import UsageError
from iot_ingest.fetch import Accept, Fetcher, FetchOutcome, HostPolicy
from iot_ingest.ingest.batch import Ingestor, error_row
from iot_ingest.ingest.fetch_urls import failed_urls, fetch_settings, record_outcomes
from iot_ingest.ingest.process import ExtractedCapture
from iot_ingest.runs import announcement_ids
from iot_ingest.sources import Discovered, DiscoveryFailed, Window, make_source
from iot_ingest.sources.govuk_search import moved_to
from iot_ingest.sources.prefilter import off_topic_reason
from iot_ingest.stats import RunStats
from iot_ingest.warehouse import Warehouse, open_writer
from iot_ingest.warehouse.load import insert_batch, one
from iot_ingest.warehouse.sql_files import sql
from iot_ingest.warehouse.validators import WarehouseValidators

__all__ = [
    "BackfillPlan",
    "backfill_params",
    "backfill_window",
    "ingest_source",
    "plan_backfill",
    "select_sources",
]

_PAGE_CHUNK = 50
_MAX_ITEM_REDIRECTS = 3  # a GOV.UK redirect item followed to the next, at most this many times


def ingest_source(db_path: Path, config: Config, name: str, run_id: str) -> RunStats:
    """One source's incremental run, holding the warehouse only for its own duration.

    A source that fails is recorded in `ingest_errors` with its reason, not raised: the run goes on.
    """
    source = config.source(name)
    with _loading(db_path, config, source) as (warehouse, stats):
        asyncio.run(_incremental(warehouse, config, source, run_id, stats))
    return stats


@dataclass(frozen=True)
class BackfillPlan:
    span: Window
    windows: list[tuple[str, Window]]  # (source name, window), in the order they run


def plan_backfill(config: Config, since: date, until: date, names: Sequence[str] = ()) -> BackfillPlan:
    """The windows of a backfill: each source's own (`Source.backfill_windows`), source by source."""
    if until < since:
        raise UsageError(f"--until {until} is before --since {since}")
    span = Window(since, until)
    windows: list[tuple[str, Window]] = []
    for source in select_sources(config, names):
        windows += [(source.name, window) for window in make_source(source).backfill_windows(span)]
    return BackfillPlan(span, windows)


def backfill_params(plan: BackfillPlan, force: bool) -> dict[str, Any]:
    return {
        "since": plan.span.since.isoformat(),
        "until": plan.span.until.isoformat(),
        "sources": list(dict.fromkeys(name for name, _ in plan.windows)),
        "force": force,
    }


def backfill_window(
    db_path: Path,
    config: Config,
    name: str,
    window: Window,
    span: Window,
    run_id: str,
    *,
    force: bool = False,
    scan_map: ScanMap | None = None,
) -> RunStats:
    """One source over one window, recorded in `backfill_windows`; skipped when already done.

    A window that fails is recorded as failed with its reason, not raised: the next run retries it.
    A CC-NEWS window's WARC files are scanned by `scan_map` (in this process by default).
    """
    source = config.source(name)
    with _loading(db_path, config, source) as (warehouse, stats):
        status = one(warehouse.con, "sources.window_status", [source.name, window.since, window.until])
        if status and status[0] == "done" and not force:
            stats.units.windows_skipped += 1
        elif isinstance(source, CCNewsSource):
            ccnews_window(warehouse, config, source, window, span, run_id, stats, force=force, scan_map=scan_map)
        else:
            asyncio.run(_backfill_window(warehouse, config, source, window, span, force, run_id, stats))
    return stats


@contextlib.contextmanager
def _loading(db_path: Path, config: Config, source: AnySource) -> Iterator[tuple[Warehouse, RunStats]]:
    """The warehouse for one source or window, and its counts with the announcements it created."""
    stats = RunStats()
    with open_writer(db_path, config) as warehouse:
        # What the health view judges the source's freshness by, from the same rule as its schedule.
        warehouse.con.execute(sql("sources.record_schedule"), [source.name, source.kind, source.expected_every_hours])
        before = announcement_ids(warehouse.con)
        yield warehouse, stats
        stats.units.announcements_new += len(announcement_ids(warehouse.con) - before)
    # The batches' `announcements` is the table's size, not something found: the run records it once.
    stats.load.announcements = None


@dataclass
class _SourceSession:
    """The SourceContext one source runs with: fetching, recording and its state."""

    source: AnySource
    warehouse: Warehouse
    fetcher: Fetcher
    ingestor: Ingestor
    run_id: str
    stats: RunStats
    validators: WarehouseValidators
    # Discovery requests are conditional only in incremental runs: a backfill reads every window's
    # feed or sitemap in full, though an earlier window fetched the same URL.
    conditional: bool = True
    _outcomes: list[FetchOutcome] = field(default_factory=list)
    _kept: list[tuple[Capture, bool]] = field(default_factory=list)
    _state: dict[str, Any] = field(default_factory=dict)
    _changed_state: dict[str, Any] = field(default_factory=dict)

    @property
    def policy(self) -> HostPolicy:
        return HostPolicy(self.source.rate_limit, self.source.max_concurrency)

    async def get(self, url: str, *, accept: Accept = "page") -> FetchOutcome:
        """A discovery request: archived, never extracted as an article."""
        outcome = await self.fetcher.fetch(
            url, self.policy, self.source.name, conditional=self.conditional, accept=accept
        )
        self.record(outcome, extract=False)
        return outcome

    async def fetch_page(self, url: str) -> FetchOutcome:
        # Never conditional: a page is fetched only when it is wanted, and then its body is.
        return await self.fetcher.fetch(url, self.policy, self.source.name, conditional=False)

    def abandon(self) -> None:
        """After a failure: what was fetched is recorded, what was learnt for next time is not."""
        self.flush(save_state=False)
        self.validators.discard()
        self._changed_state.clear()

    def record(self, outcome: FetchOutcome, *, extract: bool, capture: Capture | None = None) -> None:
        self._outcomes.append(outcome)
        kept = capture or outcome.capture
        if kept is not None:
            self._kept.append((kept, extract))

    def keep(self, capture: Capture) -> None:
        """A capture that came from discovery itself (a feed's full text), to load as an article."""
        self._kept.append((capture, True))

    def state(self, key: str) -> Any:
        if key not in self._state:
            row = one(self.warehouse.con, "sources.get_state", [self.source.name, key])
            self._state[key] = json.loads(row[0]) if row and row[0] is not None else None
        return self._state[key]

    def set_state(self, key: str, value: Any) -> None:
        self._state[key] = value
        self._changed_state[key] = value

    def flush(self, *, save_state: bool) -> None:
        attempts, robots = self.fetcher.drain_robots()
        outcomes, kept = self._outcomes, self._kept
        self._outcomes, self._kept = [], []
        record_outcomes(self.warehouse, self.ingestor, outcomes, attempts, robots, self.run_id, self.stats.fetch, kept)
        if save_state:
            # Validators and watermarks only once the whole source (or window) is done: saved earlier,
            # a 304 next time would hide items this run never got to.
            self.validators.flush()
            for key, value in self._changed_state.items():
                self.warehouse.con.execute(sql("sources.set_state"), [self.source.name, key, json.dumps(value)])
            self._changed_state.clear()


async def _incremental(warehouse: Warehouse, config: Config, source: AnySource, run_id: str, stats: RunStats) -> None:
    validators = WarehouseValidators(warehouse.con)
    with (
        RawArchive(warehouse.raw_dir, config.archive.max_file_bytes) as archive,
        Ingestor(warehouse, archive, run_id, stats.load) as ingestor,
    ):
        async with Fetcher(fetch_settings(config), validators=validators) as fetcher:
            session = _SourceSession(source, warehouse, fetcher, ingestor, run_id, stats, validators)
            try:
                await _collect(session, None, force=False, retry=failed_urls(warehouse, source.name))
                session.flush(save_state=True)
                stats.units.sources_done += 1
            except Exception as exc:  # one source failing never stops the others
                session.abandon()
                _record_failure(warehouse, run_id, source.name, "incremental run", _reason(exc))
                stats.units.sources_failed += 1


async def _backfill_window(
    warehouse: Warehouse,
    config: Config,
    source: AnySource,
    window: Window,
    span: Window,
    force: bool,
    run_id: str,
    stats: RunStats,
) -> None:
    con = warehouse.con
    key = [source.name, window.since, window.until]
    validators = WarehouseValidators(con)

    def in_range(item: ExtractedCapture) -> str | None:
        published = item.article.published_at if item.article else None
        if published is not None and not span.holds(published):
            return f"published {published.date()}, outside the backfill {span}"
        return None

    con.execute(sql("sources.start_window"), [*key, run_id])
    with (
        RawArchive(warehouse.raw_dir, config.archive.max_file_bytes) as archive,
        Ingestor(warehouse, archive, run_id, stats.load, accept=in_range) as ingestor,
    ):
        async with Fetcher(fetch_settings(config), validators=validators) as fetcher:
            session = _SourceSession(source, warehouse, fetcher, ingestor, run_id, stats, validators, conditional=False)
            try:
                found = await _collect(session, window, force=force, retry=[])
                session.flush(save_state=True)
                ingestor.flush()
                con.execute(sql("sources.finish_window"), ["done", None, found, *key])
                stats.units.windows_done += 1
            except Exception as exc:  # one window failing never loses the others
                session.abandon()
                con.execute(sql("sources.finish_window"), ["failed", _reason(exc)[:1000], None, *key])
                stats.units.windows_failed += 1


async def _collect(session: _SourceSession, window: Window | None, *, force: bool, retry: list[str]) -> int:
    """Discover, pre-filter, skip what is unchanged, fetch the rest. Returns items discovered."""
    adapter = make_source(session.source)
    items: list[Discovered] = [item async for item in adapter.discover(session, window)]
    session.stats.discovery.discovered += len(items)
    skipped: list[dict[str, Any]] = []
    wanted: list[Discovered] = []
    for item in items:
        if reason := off_topic_reason(item):
            session.stats.discovery.prefiltered += 1
        elif reason := None if force else _unchanged(session, item):
            session.stats.discovery.unchanged += 1
        else:
            wanted.append(item)
            continue
        skipped.append(_skip_row(session, item, reason))
    seen = {item.url for item in wanted}
    wanted += [Discovered(url=url) for url in retry if url not in seen]
    insert_batch(session.warehouse.con, "sources.insert_skipped", skipped)
    where = f"{session.source.name} {window}" if window else session.source.name
    with progress.bar(f"fetching {where}", len(wanted)) as pages:
        for start in range(0, len(wanted), _PAGE_CHUNK):
            chunk = wanted[start : start + _PAGE_CHUNK]
            await asyncio.gather(*(_fetch_item(session, item) for item in chunk))
            session.flush(save_state=False)
            pages.advance(len(chunk))
    return len(items)


async def _fetch_item(session: _SourceSession, item: Discovered, hops: int = 0) -> None:
    outcome = await session.fetch_page(item.url)
    if item.archived_as and item.captured_at and outcome.capture is not None:
        # A Wayback snapshot is archived as what it shows: the original URL at its capture time.
        snapshot = outcome.capture
        original = Capture(
            item.archived_as,
            item.captured_at,
            snapshot.status,
            snapshot.headers,
            snapshot.body,
            "fetch",
            session.source.name,
        )
        session.record(outcome, extract=True, capture=original)
        return
    session.record(outcome, extract=True)
    moved = moved_to(item, outcome)
    if moved is not None and hops < _MAX_ITEM_REDIRECTS:
        await _fetch_item(session, moved, hops + 1)  # a redirect item: the article is at its destination
        return
    if outcome.ok or outcome.not_modified:
        return
    if item.fallback_url:
        fallback = await session.fetch_page(item.fallback_url)
        session.record(fallback, extract=True)
        if fallback.ok:
            return
    if item.inline is not None:
        session.keep(dataclasses.replace(item.inline, source=session.source.name))
        session.stats.discovery.from_feed_text += 1


def _unchanged(session: _SourceSession, item: Discovered) -> str | None:
    url = item.archived_as or item.url
    row = one(session.warehouse.con, "sources.latest_fetch", [url])
    last = row[0] if row else None
    if last is None and item.fallback_url:
        row = one(session.warehouse.con, "sources.latest_fetch", [item.fallback_url])
        last = row[0] if row else None
    if last is None:
        return None
    if item.captured_at is not None:
        return "snapshot already archived" if last >= item.captured_at else None
    # Listings give whole seconds (GOV.UK's Search API does): an update stamped with the second of
    # the last fetch may have come after it, so only an earlier second counts as unchanged.
    if item.updated_at is None or item.updated_at < last.replace(microsecond=0):
        return "unchanged since it was last fetched"
    return None


def _skip_row(session: _SourceSession, item: Discovered, reason: str) -> dict[str, Any]:
    return {
        "source": session.source.name,
        "url": item.url,
        "title": item.title,
        "reason": reason,
        "run_id": session.run_id,
        "skipped_at": datetime.now(UTC),
    }


def _record_failure(warehouse: Warehouse, run_id: str, source: str, what: str, reason: str) -> None:
    insert_batch(
        warehouse.con,
        "load.insert_errors",
        [error_row(run_id, "discover", f"{source}: {what}", None, reason, datetime.now(UTC))],
    )


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, DiscoveryFailed) else f"{type(exc).__name__}: {exc}"


def select_sources(config: Config, names: Sequence[str] = ()) -> list[AnySource]:
    """The named sources (each must exist), or every enabled one."""
    if names:
        return [config.source(name) for name in dict.fromkeys(names)]
    chosen = [s for s in config.sources if s.enabled]
    if not chosen:
        raise UsageError("no sources configured")
    return chosen
