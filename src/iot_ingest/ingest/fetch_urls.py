"""Fetch URLs through the polite client into the archive and the warehouse.

This is the loop every source uses: fetch concurrently (the client enforces per-host limits),
then record every attempt in `fetches` and send every response through the same batch ingest as
`import-warc`. A URL that fails is recorded and listed by `failed_urls` for the next run.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from iot_ingest.archive import Capture, RawArchive
from iot_ingest.config import AnySource, Config
from iot_ingest.fetch import Attempt, Fetcher, FetchOutcome, FetchSettings, HostPolicy
from iot_ingest.ingest.batch import Ingestor
from iot_ingest.runs import logged_run
from iot_ingest.stats import FetchStats, RunStats
from iot_ingest.warehouse import Warehouse
from iot_ingest.warehouse.sql_files import sql
from iot_ingest.warehouse.target import BriefSessions
from iot_ingest.warehouse.validators import WarehouseValidators

__all__ = [
    "FetchRequest",
    "failed_urls",
    "fetch_row",
    "fetch_settings",
    "fetch_urls",
    "policy_for",
    "record_outcomes",
    "retry_failed_fetches",
]

_CHUNK = 200  # URLs fetched at most before their results are committed


@dataclass(frozen=True)
class FetchRequest:
    url: str
    policy: HostPolicy
    source: str | None = None


def fetch_settings(config: Config, **overrides: Any) -> FetchSettings:
    http = config.http
    values: dict[str, Any] = {
        "user_agent": http.user_agent,
        "allow_private_hosts": frozenset(http.allow_private_hosts),
        "connect_timeout_s": http.connect_timeout_s,
        "read_timeout_s": http.read_timeout_s,
        "total_timeout_s": http.total_timeout_s,
        "max_body_bytes": http.max_body_bytes,
        "max_redirects": http.max_redirects,
        "max_attempts": http.max_attempts,
        "retry_after_cap_s": http.retry_after_cap_s,
        "global_concurrency": http.global_concurrency,
    }
    return FetchSettings(**{**values, **overrides})


def policy_for(url: str, sources: Iterable[AnySource]) -> tuple[HostPolicy, str | None]:
    """The politeness of the configured source whose host this URL is on; a cautious default else."""
    host = urlsplit(url).hostname
    for source in sources:
        if urlsplit(source.address).hostname == host:
            return HostPolicy(source.rate_limit, source.max_concurrency), source.name
    return HostPolicy(), None


def failed_urls(warehouse: Warehouse, source: str | None = None) -> list[str]:
    """URLs to retry: every source's, or those `source` fetched last."""
    return [row[0] for row in warehouse.con.execute(sql("fetch.failed_urls"), {"source": source}).fetchall()]


def fetch_urls(
    urls: Sequence[str],
    db_path: Path,
    config: Config,
    *,
    retry_failed: bool = False,
    settings: FetchSettings | None = None,
) -> RunStats:
    """The `fetch` command: these URLs (and with `retry_failed`, every one whose last fetch failed),
    as a run of its own."""
    target = BriefSessions(db_path, config)
    with target.reading() as warehouse:
        wanted = list(dict.fromkeys([*urls, *(failed_urls(warehouse) if retry_failed else [])]))
    with logged_run(db_path, config, "fetch", {"urls": len(wanted), "retry_failed": retry_failed}) as run:
        _fetch_into(target, wanted, config, settings or fetch_settings(config), run.run_id, run.stats)
    return run.stats


def retry_failed_fetches(db_path: Path, config: Config, run_id: str) -> RunStats:
    """Every URL whose last fetch failed, whatever its source, as part of the run `run_id` (the
    nightly sweep)."""
    stats = RunStats()
    target = BriefSessions(db_path, config)
    with target.reading() as warehouse:
        urls = failed_urls(warehouse)
    _fetch_into(target, urls, config, fetch_settings(config), run_id, stats)
    return stats


def _fetch_into(
    target: BriefSessions, urls: Sequence[str], config: Config, settings: FetchSettings, run_id: str, stats: RunStats
) -> None:
    requests = [FetchRequest(url, *policy_for(url, config.sources)) for url in urls]
    asyncio.run(_fetch_all(requests, target, config, settings, run_id, stats))


async def _fetch_all(
    requests: list[FetchRequest],
    target: BriefSessions,
    config: Config,
    settings: FetchSettings,
    run_id: str,
    stats: RunStats,
) -> None:
    with target.reading() as warehouse:
        validators = WarehouseValidators.preloaded(warehouse.con, [r.url for r in requests])
    with (
        RawArchive(target.raw_dir, config.archive.max_file_bytes) as archive,
        Ingestor(target, archive, run_id, stats.load, topics=config.topic_set()) as ingestor,
    ):
        async with Fetcher(settings, validators=validators) as fetcher:
            pending: list[FetchOutcome] = []
            last_commit = time.monotonic()
            tasks = [asyncio.ensure_future(fetcher.fetch(r.url, r.policy, r.source)) for r in requests]
            for done in asyncio.as_completed(tasks):
                pending.append(await done)
                # A long unit commits as it goes, so what it loaded becomes readable while it runs.
                if len(pending) >= _CHUNK or time.monotonic() - last_commit >= config.warehouse.commit_every_s:
                    _commit(fetcher, ingestor, pending, validators, run_id, stats.fetch)
                    pending, last_commit = [], time.monotonic()
            _commit(fetcher, ingestor, pending, validators, run_id, stats.fetch)


def _commit(
    fetcher: Fetcher,
    ingestor: Ingestor,
    outcomes: list[FetchOutcome],
    validators: WarehouseValidators,
    run_id: str,
    stats: FetchStats,
) -> None:
    robots_attempts, robots_captures = fetcher.drain_robots()
    validators.stage(ingestor)
    record_outcomes(ingestor, outcomes, robots_attempts, robots_captures, run_id, stats)


def record_outcomes(
    ingestor: Ingestor,
    outcomes: Sequence[FetchOutcome],
    robots_attempts: Sequence[Attempt],
    robots_captures: Sequence[Capture],
    run_id: str,
    stats: FetchStats,
    captures: Sequence[tuple[Capture, bool]] | None = None,
) -> None:
    """Every attempt into `fetches`, every response through the ingest batch (archive first), in
    one commit: a process killed before it leaves neither, and the next run fetches again.

    `captures` (capture, extract?) replaces the outcomes' own responses when the caller decides
    what is kept and how (discovery pages archived only, snapshots under their original URL).
    """
    rows = [fetch_row(a, run_id, None, None) for a in robots_attempts]
    for outcome in outcomes:
        for attempt in outcome.attempts:
            rows.append(fetch_row(attempt, run_id, outcome.source, outcome.skipped))
            if attempt.status is None and attempt.error and not outcome.skipped:
                ingestor.archive.append_failure(attempt.url, attempt.requested_at, attempt.error)
        stats.urls += 1
        if outcome.skipped:
            stats.refused += 1
        elif outcome.not_modified:
            stats.not_modified += 1
        elif outcome.ok:
            stats.fetched += 1
        else:
            stats.failed += 1
    ingestor.stage("fetch.insert_fetches", rows)
    stats.attempts += len(rows)
    for capture in robots_captures:
        ingestor.add(capture, extract=False)
    if captures is None:
        captures = [(o.capture, True) for o in outcomes if o.capture is not None]
    for capture, extract in captures:
        ingestor.add(capture, extract=extract)
    ingestor.flush()


def fetch_row(attempt: Attempt, run_id: str, source: str | None, skipped: str | None) -> dict[str, Any]:
    return {
        "fetch_id": uuid.uuid4().hex,
        "url": attempt.url,
        "requested_at": attempt.requested_at,
        "status": attempt.status,
        "error": attempt.error,
        "elapsed_ms": attempt.elapsed_ms,
        "bytes": attempt.bytes,
        "run_id": run_id,
        "source": source,
        "skipped": skipped if attempt.status is None and skipped else None,
    }
