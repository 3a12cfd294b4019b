"""A CC-NEWS backfill window in the writer's process: plan the month's WARC files as units of work,
hand them to a mapper (in this process, or Prefect tasks on a Dask cluster), load what comes back.

Only this process writes the warehouse: units return compact extracted records, loaded in the
order the units were planned, so the warehouse is the same however the units were spread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from iot_ingest.archive import Capture, RawArchive
from iot_ingest.ccnews.scan import FileScan, ScanTask, scan_file
from iot_ingest.config import CCNewsSource, Config
from iot_ingest.fetch import Fetcher, HostPolicy
from iot_ingest.ingest.batch import Ingestor
from iot_ingest.ingest.fetch_urls import fetch_row, fetch_settings, record_outcomes
from iot_ingest.ingest.process import ExtractedCapture, process_capture
from iot_ingest.sources.base import DiscoveryFailed, Window
from iot_ingest.sources.ccnews import files_in_window, months_of, parse_paths, paths_url
from iot_ingest.stats import CrawlStats, FetchStats, RunStats
from iot_ingest.warehouse import Warehouse
from iot_ingest.warehouse.load import insert_batch
from iot_ingest.warehouse.sql_files import sql

__all__ = ["ScanFailed", "ScanMap", "ccnews_window", "scan_here"]


@dataclass(frozen=True)
class ScanFailed:
    path: str
    reason: str


# Runs the units and yields each one's result in the order given. The default runs them here; a
# flow maps them over its task runner (a Dask cluster) instead.
ScanMap = Callable[[Sequence[ScanTask]], Iterator[FileScan | ScanFailed]]


def scan_here(tasks: Sequence[ScanTask]) -> Iterator[FileScan | ScanFailed]:
    for task in tasks:
        try:
            yield scan_file(task)
        except Exception as exc:  # one unreadable file is recorded, the others go on
            yield ScanFailed(task.path, f"{type(exc).__name__}: {exc}")


def ccnews_window(
    warehouse: Warehouse,
    config: Config,
    source: CCNewsSource,
    window: Window,
    span: Window,
    run_id: str,
    stats: RunStats,
    *,
    force: bool = False,
    scan_map: ScanMap | None = None,
) -> None:
    """One window of a CC-NEWS source, recorded in `backfill_windows`: done once all its files
    are; failed (and retried by the next run, its done files skipped) otherwise."""
    con = warehouse.con
    key = [source.name, window.since, window.until]
    con.execute(sql("sources.start_window"), [*key, run_id])
    failed_before = stats.crawl.files_failed
    with RawArchive(warehouse.raw_dir, config.archive.max_file_bytes) as archive:
        try:
            files, tasks = _plan(warehouse, archive, config, source, window, run_id, stats, force)
        except DiscoveryFailed as exc:
            con.execute(sql("sources.finish_window"), ["failed", str(exc)[:1000], None, *key])
            stats.units.windows_failed += 1
            return
        for result in (scan_map or scan_here)(tasks):
            _load(warehouse, archive, source, span, run_id, stats, result)
    failed = stats.crawl.files_failed - failed_before
    reason = f"{failed} of {files} WARC files failed (see ccnews_files)" if failed else None
    con.execute(sql("sources.finish_window"), ["failed" if failed else "done", reason, files, *key])
    if failed:
        stats.units.windows_failed += 1
    else:
        stats.units.windows_done += 1


def _plan(
    warehouse: Warehouse,
    archive: RawArchive,
    config: Config,
    source: CCNewsSource,
    window: Window,
    run_id: str,
    stats: RunStats,
    force: bool,
) -> tuple[int, list[ScanTask]]:
    """The window's WARC files, each recorded as a unit, and the tasks for those not yet done (all
    with `force`). Raises DiscoveryFailed when a month's file list cannot be had."""
    con = warehouse.con
    planned: list[tuple[date, str]] = []
    with Ingestor(warehouse, archive, run_id, stats.load) as ingestor:
        for month in months_of(window):
            planned += [(month, p) for p in files_in_window(_month_paths(config, source, month, ingestor), window)]
    for month, path in planned:
        con.execute(sql("ccnews.plan_file"), [source.name, path, month, run_id])
    done = {
        path
        for month in {m for m, _ in planned}
        for path, status in con.execute(sql("ccnews.files_of_month"), [source.name, month]).fetchall()
        if status == "done"
    }
    base = source.base_url.rstrip("/")
    settings = fetch_settings(config)
    suffixes = tuple(source.host_suffixes)
    tasks = [
        ScanTask(source.name, f"{base}/{path}", path, settings, suffixes)
        for _, path in planned
        if force or path not in done
    ]
    stats.crawl.files_skipped += len(planned) - len(tasks)
    for task in tasks:
        con.execute(sql("ccnews.start_file"), [run_id, source.name, task.path])
    return len(planned), tasks


def _month_paths(config: Config, source: CCNewsSource, month: date, ingestor: Ingestor) -> list[str]:
    """The month's file list, fetched through the polite client (robots.txt, rate, retries) and
    archived as a discovery page."""
    url = paths_url(source.base_url, month)

    async def fetch() -> list[str]:
        async with Fetcher(fetch_settings(config)) as fetcher:
            policy = HostPolicy(source.rate_limit, source.max_concurrency)
            outcome = await fetcher.fetch(url, policy, source.name, accept="file_list")
            attempts, robots = fetcher.drain_robots()
        captures = [(outcome.capture, False)] if outcome.capture is not None else []
        record_outcomes(
            ingestor.warehouse, ingestor, [outcome], attempts, robots, ingestor.run_id, FetchStats(), captures
        )
        if not outcome.ok or outcome.capture is None:
            raise DiscoveryFailed(f"{url}: {outcome.skipped or outcome.error or 'no response'}")
        return parse_paths(outcome.capture.body)

    return asyncio.run(fetch())


def _load(
    warehouse: Warehouse,
    archive: RawArchive,
    source: CCNewsSource,
    span: Window,
    run_id: str,
    stats: RunStats,
    result: FileScan | ScanFailed,
) -> None:
    con = warehouse.con
    if isinstance(result, ScanFailed):
        con.execute(sql("ccnews.finish_file"), ["failed", result.reason[:1000], *[None] * 5, source.name, result.path])
        stats.crawl.files_failed += 1
        return
    scanned = {r.item.capture.response_id: r.item for r in result.records}

    def extracted(captures: list[Capture]) -> list[ExtractedCapture]:
        # Extracted on the worker already; a capture the worker did not send is extracted here.
        return [scanned.get(c.response_id) or process_capture(c) for c in captures]

    def accept(item: ExtractedCapture) -> str | None:
        if not item.relevant:
            return "not about the topic (archived for reprocessing)"
        published = item.article.published_at if item.article else None
        if published is not None and not span.holds(published):
            return f"published {published.date()}, outside the backfill {span}"
        return None

    # Provenance first: a load killed half-way is re-run, and its records are then skipped as known.
    provenance = [
        {"response_id": r.item.capture.response_id, "path": result.path, "warc_offset": r.offset}
        for r in result.records
    ]
    insert_batch(con, "ccnews.insert_records", provenance)
    insert_batch(con, "fetch.insert_fetches", [fetch_row(a, run_id, source.name, None) for a in result.attempts])
    with Ingestor(warehouse, archive, run_id, stats.load, accept=accept, extract_many=extracted) as ingestor:
        ingestor.add_all(r.item.capture for r in result.records)
        ingestor.add_all(result.problems)
    c = result.counts
    prefiltered = c["off_host"] + c["prefiltered"]
    row = [c["records"], prefiltered, c["extracted"], c["relevant"], c["bytes"]]
    con.execute(sql("ccnews.finish_file"), ["done", None, *row, source.name, result.path])
    stats.crawl += CrawlStats(
        files_done=1,
        records_read=c["records"],
        records_prefiltered=prefiltered,
        records_extracted=c["extracted"],
        records_relevant=c["relevant"],
        records_broken=c["broken"],
    )
