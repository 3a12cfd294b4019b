"""Planning a CC-NEWS window: the month's file lists fetched politely (archived as discovery pages),
every file the window covers recorded in `ccnews_files`, and the files not yet done to scan."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from iot_ingest.archive import RawArchive
from iot_ingest.ccnews.scan import ScanTask
from iot_ingest.config import CCNewsSource, Config
from iot_ingest.fetch import Fetcher, HostPolicy
from iot_ingest.ingest.batch import Ingestor
from iot_ingest.ingest.fetch_urls import fetch_settings, record_outcomes
from iot_ingest.sources.base import DiscoveryFailed, Window
from iot_ingest.sources.ccnews import files_in_window, months_of, parse_paths, paths_url
from iot_ingest.stats import FetchStats, RunStats
from iot_ingest.warehouse.sql_files import sql
from iot_ingest.warehouse.target import BriefSessions

__all__ = ["WindowPlan", "plan_window"]


@dataclass(frozen=True)
class WindowPlan:
    paths: tuple[str, ...]  # every file the window covers
    tasks: tuple[ScanTask, ...]  # those to scan now (not done yet, or all with force)


def plan_window(
    target: BriefSessions,
    config: Config,
    source: CCNewsSource,
    window: Window,
    run_id: str,
    stats: RunStats,
    *,
    force: bool,
) -> WindowPlan:
    """Raises DiscoveryFailed when a month's file list cannot be had."""
    planned: list[tuple[date, str]] = []
    topics = config.topic_set()  # once: every file's task carries the same topics
    with (
        RawArchive(target.raw_dir, config.archive.max_file_bytes) as archive,
        Ingestor(target, archive, run_id, stats.load, topics=topics) as ingestor,
    ):
        for month in months_of(window):
            planned += [(month, p) for p in files_in_window(_month_paths(config, source, month, ingestor), window)]
    with target.committing() as warehouse:
        con = warehouse.con
        con.execute(sql("sources.start_window"), [source.name, window.since, window.until, run_id])
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
        tasks = tuple(
            ScanTask(source.name, f"{base}/{path}", path, settings, topics, suffixes)
            for _, path in planned
            if force or path not in done
        )
        for task in tasks:
            con.execute(sql("ccnews.start_file"), [run_id, source.name, task.path])
    stats.crawl.files_skipped += len(planned) - len(tasks)
    return WindowPlan(tuple(path for _, path in planned), tasks)


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
        record_outcomes(ingestor, [outcome], attempts, robots, ingestor.run_id, FetchStats(), captures)
        if not outcome.ok or outcome.capture is None:
            raise DiscoveryFailed(f"{url}: {outcome.skipped or outcome.error or 'no response'}")
        return parse_paths(outcome.capture.body)

    return asyncio.run(fetch())
