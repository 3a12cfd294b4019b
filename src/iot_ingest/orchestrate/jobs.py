"""The runs a user starts: an incremental `ingest` (optionally with the sweep of failed fetches) and
a resumable `backfill`. Each is a list of units, the work for one unit, and the run loop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from iot_ingest.ccnews.backfill import ScanMap
from iot_ingest.config import Config
from iot_ingest.ingest.collect import backfill_params, backfill_window, ingest_source, plan_backfill, select_sources
from iot_ingest.ingest.fetch_urls import retry_failed_fetches
from iot_ingest.orchestrate.loop import RunReport, run_loop
from iot_ingest.orchestrate.mapper import InProcess, Mapper, Unit
from iot_ingest.runs import Run
from iot_ingest.sources import Window
from iot_ingest.stats import RunStats

__all__ = ["SWEEP_UNIT", "SourceJob", "SweepJob", "WindowJob", "backfill", "ingest", "run_job"]

SWEEP_UNIT = "failed fetches"


@dataclass(frozen=True)
class SourceJob:
    """One source's incremental run, loading for itself under the warehouse lock."""

    db_path: Path
    config: Config
    source: str
    run_id: str

    def __call__(self) -> RunStats:
        return ingest_source(self.db_path, self.config, self.source, self.run_id)


@dataclass(frozen=True)
class SweepJob:
    """Every URL whose last fetch failed, whatever its source."""

    db_path: Path
    config: Config
    run_id: str

    def __call__(self) -> RunStats:
        return retry_failed_fetches(self.db_path, self.config, self.run_id)


@dataclass(frozen=True)
class WindowJob:
    """One source over one backfill window, recorded in `backfill_windows`."""

    db_path: Path
    config: Config
    source: str
    window: Window
    span: Window
    run_id: str
    force: bool
    # How a crawl window's files are scanned (CC-NEWS): here by default, or on the flow's task runner.
    scan_map: ScanMap | None = None

    def __call__(self) -> RunStats:
        return backfill_window(
            self.db_path,
            self.config,
            self.source,
            self.window,
            self.span,
            self.run_id,
            force=self.force,
            scan_map=self.scan_map,
        )


def run_job(job: SourceJob | SweepJob | WindowJob) -> RunStats:
    """The work of one unit (a module-level function, so an orchestrator can name and ship it)."""
    return job()


def _loaded(stats: RunStats) -> RunStats:
    """Sources and windows load as they go: their result is their counts."""
    return stats


def ingest(
    db_path: Path,
    config: Config,
    names: Sequence[str] = (),
    *,
    sweep_failed: bool = False,
    mapper: Mapper | None = None,
    run_id: str | None = None,
    publish: Callable[[RunReport], object] | None = None,
) -> RunReport:
    """What each source has that is new since its last run (then last run's failures, by source);
    with `sweep_failed`, then every URL whose last fetch failed (the nightly sweep)."""
    chosen = [source.name for source in select_sources(config, names)]
    report = RunReport("ingest", "source", Run(run_id=run_id or "", flow="ingest"))

    def units(run: str) -> list[Unit[SourceJob | SweepJob | WindowJob]]:
        found: list[Unit[SourceJob | SweepJob | WindowJob]] = [
            Unit(name, SourceJob(db_path, config, name, run)) for name in chosen
        ]
        if sweep_failed:
            found.append(Unit(SWEEP_UNIT, SweepJob(db_path, config, run)))
        return found

    params = {"sources": chosen, "sweep_failed": sweep_failed}
    return run_loop(db_path, config, report, params, units, run_job, _loaded, mapper or InProcess(), publish=publish)


def backfill(
    db_path: Path,
    config: Config,
    since: date,
    until: date,
    names: Sequence[str] = (),
    *,
    force: bool = False,
    mapper: Mapper | None = None,
    run_id: str | None = None,
    publish: Callable[[RunReport], object] | None = None,
    scan_map: ScanMap | None = None,
) -> RunReport:
    """Every (or the named) source over [since, until] in its windows; windows already done are
    skipped (the warehouse remembers them across runs) unless `force`. A crawl's window (CC-NEWS)
    scans its files with `scan_map`, in this process when None."""
    plan = plan_backfill(config, since, until, names)
    report = RunReport("backfill", "window", Run(run_id=run_id or "", flow="backfill"))

    def units(run: str) -> list[Unit[SourceJob | SweepJob | WindowJob]]:
        return [
            Unit(
                f"{name} {window.since}..{window.until}",
                WindowJob(db_path, config, name, window, plan.span, run, force, scan_map),
            )
            for name, window in plan.windows
        ]

    params = backfill_params(plan, force)
    return run_loop(db_path, config, report, params, units, run_job, _loaded, mapper or InProcess(), publish=publish)
