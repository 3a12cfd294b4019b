"""The units of a page source (GOV.UK search, feeds, sitemaps, listings, Wayback): its incremental
run, and one backfill window. Each fetches holding nothing and commits as it goes.

A unit that fails is recorded with its reason (`ingest_errors`, or its window as failed) and the
run goes on; the next run retries it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from iot_ingest.archive import RawArchive
from iot_ingest.config import AnySource, Config
from iot_ingest.fetch import Fetcher
from iot_ingest.ingest.batch import Ingestor, error_row
from iot_ingest.ingest.crawl import crawl
from iot_ingest.ingest.fetch_urls import fetch_settings
from iot_ingest.ingest.ledger import WindowLedger
from iot_ingest.ingest.process import ExtractedCapture
from iot_ingest.ingest.session import SourceSession, UnitStart, read_start
from iot_ingest.sources import DiscoveryFailed, Window
from iot_ingest.stats import RunStats
from iot_ingest.warehouse.target import BriefSessions

__all__ = ["backfill_window", "ingest_source"]


def ingest_source(db_path: Path, config: Config, name: str, run_id: str) -> RunStats:
    """One source's incremental run: what is new since its last run, then last run's failures."""
    source = config.source(name)
    target = BriefSessions(db_path, config)
    stats = RunStats()
    start = read_start(target, source)

    async def run(session: SourceSession) -> None:
        try:
            await crawl(session, target, None, force=False, retry=start.retry)
            session.flush(save_state=True, also=[_schedule(source)])
            stats.units.sources_done += 1
        except Exception as exc:  # one source failing never stops the others
            why = error_row(run_id, "discover", f"{source.name}: incremental run", None, _reason(exc), _now())
            session.ingestor.stage("load.insert_errors", [why])
            session.abandon()
            stats.units.sources_failed += 1

    _run_unit(target, config, source, run_id, stats, start, run, conditional=True)
    return stats


def backfill_window(
    db_path: Path, config: Config, name: str, window: Window, span: Window, run_id: str, *, force: bool = False
) -> RunStats:
    """One source over one window, recorded in `backfill_windows`; skipped when already done."""
    source = config.source(name)
    target = BriefSessions(db_path, config)
    stats = RunStats()
    ledger = WindowLedger(source.name, window)
    start = read_start(target, source, None if force else ledger)
    if start.window_done:
        stats.units.windows_skipped += 1
        return stats

    def in_range(item: ExtractedCapture) -> str | None:
        published = item.article.published_at if item.article else None
        if published is not None and not span.holds(published):
            return f"published {published.date()}, outside the backfill {span}"
        return None

    async def run(session: SourceSession) -> None:
        session.ingestor.execute(*ledger.started(run_id))
        try:
            found = await crawl(session, target, window, force=force, retry=[])
            session.flush(save_state=True, also=[_schedule(source), ledger.finished("done", None, found)])
            stats.units.windows_done += 1
        except Exception as exc:  # one window failing never loses the others
            session.ingestor.execute(*ledger.finished("failed", _reason(exc), None))
            session.abandon()
            stats.units.windows_failed += 1

    _run_unit(target, config, source, run_id, stats, start, run, conditional=False, accept=in_range)
    return stats


def _run_unit(
    target: BriefSessions,
    config: Config,
    source: AnySource,
    run_id: str,
    stats: RunStats,
    start: UnitStart,
    body: Callable[[SourceSession], Awaitable[None]],
    *,
    conditional: bool,
    accept: Callable[[ExtractedCapture], str | None] | None = None,
) -> None:
    """`body` with a session of its own: this writer's archive files, a polite client, batches."""

    async def run() -> None:
        async with Fetcher(fetch_settings(config), validators=start.validators) as fetcher:
            session = SourceSession(
                source,
                fetcher,
                ingestor,
                run_id,
                stats,
                start,
                conditional=conditional,
                commit_every_s=config.warehouse.commit_every_s,
            )
            await body(session)

    with (
        RawArchive(target.raw_dir, config.archive.max_file_bytes) as archive,
        Ingestor(target, archive, run_id, stats.load, accept=accept, topics=config.topic_set()) as ingestor,
    ):
        asyncio.run(run())
    stats.units.announcements_new += ingestor.announcements_created
    stats.load.announcements = None  # the table's size, not something found: the run records it once


def _schedule(source: AnySource) -> tuple[str, list[object]]:
    # What the health view judges the source's freshness by, from the same rule as its schedule.
    return "sources.record_schedule", [source.name, source.kind, source.expected_every_hours]


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, DiscoveryFailed) else f"{type(exc).__name__}: {exc}"


def _now() -> datetime:
    return datetime.now(UTC)
