"""The one run loop: a logged run around units of work mapped by a `Mapper`, loaded here.

`ingest`, `backfill` and the nightly sweep (`iot_ingest.orchestrate.jobs`), the CLI with or without
Prefect, the Prefect flows and the demo all run through `run_loop`, so they record, count and
summarise a run the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from iot_ingest import progress
from iot_ingest.config import Config
from iot_ingest.notify import NotifyOutcome, notify_after_run
from iot_ingest.orchestrate.mapper import Mapper, Unit
from iot_ingest.runs import NewAnnouncement, Run, logged_run, new_announcements
from iot_ingest.stats import RunStats, total
from iot_ingest.warehouse import open_reader

__all__ = ["RunReport", "after_loading", "run_loop"]

A = TypeVar("A")
R = TypeVar("R")

_log = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What a run did, unit by unit: the one summary the CLI prints and the flows publish."""

    flow: str
    unit: str  # what one unit is called in the summary: source, window
    run: Run
    per_unit: dict[str, RunStats] = field(default_factory=dict)
    status: str = "running"
    new: list[NewAnnouncement] = field(default_factory=list)
    # The notification pass after the run: its domain events (the flows emit them to Prefect) and
    # what was sent to the [[notify]] targets.
    notified: NotifyOutcome = field(default_factory=NotifyOutcome)

    @property
    def total(self) -> RunStats:
        return total(self.per_unit.values())

    def as_dicts(self) -> dict[str, dict[str, int]]:
        return {name: stats.as_dict() for name, stats in self.per_unit.items()}


def run_loop(
    db_path: Path,
    config: Config,
    report: RunReport,
    params: dict[str, Any],
    units: Callable[[str], Sequence[Unit[A]]],
    work: Callable[[A], R],
    commit: Callable[[A, R], RunStats],
    mapper: Mapper,
    *,
    publish: Callable[[RunReport], object] | None = None,
) -> RunReport:
    """Map `work` over the units with `mapper`, `commit` each result in this process, and record the run.

    `units` makes the units for the run's id (their work records what it does under that id).
    `report.run.run_id` may be set already (a Prefect flow run's id), else a new one is made. Each
    unit's result is committed here, in a short writer session, never on a worker. Units whose work
    commits as it goes (a page source, a window) return their counts and `commit` passes them on.
    `publish` (the flows' artifact) sees the report whether the run completed or failed.
    """
    started = False
    try:
        with logged_run(db_path, config, report.flow, params, report.run.run_id or None) as run:
            report.run, started = run, True
            planned = units(run.run_id)
            with progress.bar(f"{report.unit}s", len(planned)) as bar:
                for unit, result in mapper.map(work, planned):
                    stats = commit(unit.args, result)
                    report.per_unit[unit.name] = stats
                    run.stats = run.stats + stats
                    bar.advance()
    except BaseException as exc:
        report.status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        if started:  # a run that never started (the lock stayed held) found nothing to report
            try:
                after_loading(db_path, config, report)
                if publish is not None:
                    publish(report)
            except Exception as late:  # the error that ended the run is the one to report
                _log.warning("no summary for the %s %s run: %s", report.status, report.flow, late)
        raise
    report.status = "completed"
    after_loading(db_path, config, report)
    if publish is not None:
        publish(report)
    return report


def after_loading(db_path: Path, config: Config, report: RunReport) -> None:
    """THE hook after a run finished loading (completed, or failed with what it loaded so far):
    what the run found is read back here, once, for every caller. Whatever reacts to a run's
    results (announcement events, notifications) belongs here, not in the flows or the CLI."""
    with open_reader(db_path, config) as con:
        report.new = new_announcements(con, report.run)
    # Never raises: a target that is down is recorded and retried by the next run's pass.
    report.notified = notify_after_run(db_path, config, report.run.run_id)
