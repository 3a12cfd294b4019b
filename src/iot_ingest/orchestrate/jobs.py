"""The runs a user starts: an incremental `ingest` (optionally with the sweep of failed fetches) and
a resumable `backfill`. Each asks every source's kind for its units, then runs the one loop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from iot_ingest.config import Config
from iot_ingest.ingest.fetch_urls import retry_failed_fetches
from iot_ingest.ingest.plan import backfill_params, backfill_span, select_sources
from iot_ingest.kinds import Job, RunContext, commit_result, kind_of, run_work
from iot_ingest.orchestrate.loop import RunReport, run_loop
from iot_ingest.orchestrate.mapper import InProcess, Mapper, Unit
from iot_ingest.runs import Run
from iot_ingest.stats import RunStats

__all__ = ["SWEEP_UNIT", "SweepJob", "backfill", "ingest"]

SWEEP_UNIT = "failed fetches"


@dataclass(frozen=True)
class SweepJob:
    """Every URL whose last fetch failed, whatever its source."""

    task_name: ClassVar[str] = "sweep failed fetches"

    run: RunContext

    def work(self) -> RunStats:
        return retry_failed_fetches(self.run.db_path, self.run.config, self.run.run_id)

    def commit(self, result: RunStats) -> RunStats:
        return result  # committed as it went


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
    chosen = select_sources(config, names)
    report = RunReport("ingest", "source", Run(run_id=run_id or "", flow="ingest"))

    def units(run_id: str) -> list[Unit[Job]]:
        run = RunContext(db_path, config, run_id)
        found = [unit for source in chosen for unit in kind_of(source).incremental(run, source)]
        if sweep_failed:
            found.append(Unit(SWEEP_UNIT, SweepJob(run)))
        return found

    params = {"sources": [source.name for source in chosen], "sweep_failed": sweep_failed}
    return run_loop(
        db_path, config, report, params, units, run_work, commit_result, mapper or InProcess(), publish=publish
    )


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
) -> RunReport:
    """Every (or the named) source over [since, until] in its windows; windows already done are
    skipped (the warehouse remembers them across runs) unless `force`."""
    span = backfill_span(since, until)
    chosen = select_sources(config, names)
    report = RunReport("backfill", "window", Run(run_id=run_id or "", flow="backfill"))

    def units(run_id: str) -> list[Unit[Job]]:
        run = RunContext(db_path, config, run_id)
        return [unit for source in chosen for unit in kind_of(source).backfill(run, source, span, force=force)]

    params = backfill_params(span, chosen, force)
    return run_loop(
        db_path, config, report, params, units, run_work, commit_result, mapper or InProcess(), publish=publish
    )
