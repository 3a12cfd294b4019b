"""CC-NEWS: a backfill window is one unit per WARC file of its months (scanned anywhere: here, in
a thread, on a Dask worker), then one unit that closes the window. An incremental run has none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from iot_ingest.ccnews.commit import ScanFailed, close_window, commit_scan
from iot_ingest.ccnews.plan import plan_window
from iot_ingest.ccnews.scan import FileScan, ScanTask, scan_file
from iot_ingest.config import AnySource, CCNewsSource
from iot_ingest.ingest.ledger import WindowLedger
from iot_ingest.kinds.base import Job, RunContext
from iot_ingest.sources import DiscoveryFailed, Window, make_source
from iot_ingest.stats import RunStats
from iot_ingest.units import Unit
from iot_ingest.warehouse.target import BriefSessions

__all__ = ["CCNEWS", "CloseWindowJob", "CrawlFileJob"]


@dataclass(frozen=True)
class CrawlFileJob:
    """One WARC file: scanned with no database, committed in one short session."""

    task_name: ClassVar[str] = "scan WARC file"

    run: RunContext
    source: str
    span: Window
    scan: ScanTask

    def work(self) -> FileScan | ScanFailed:
        try:
            return scan_file(self.scan)
        except Exception as exc:  # one unreadable file is recorded, the others go on
            return ScanFailed(self.scan.path, f"{type(exc).__name__}: {exc}")

    def commit(self, result: FileScan | ScanFailed) -> RunStats:
        run = self.run
        source = run.config.source(self.source)
        assert isinstance(source, CCNewsSource)
        return commit_scan(BriefSessions(run.db_path, run.config), run.config, source, self.span, run.run_id, result)


@dataclass(frozen=True)
class CloseWindowJob:
    """After a window's files: the window done, or failed with how many files did; or what its
    plan found (skipped when done before, failed when a file list could not be had)."""

    task_name: ClassVar[str] = "close window"

    run: RunContext
    source: str
    window: Window
    paths: tuple[str, ...] = ()
    failure: str | None = None
    planned: RunStats | None = None  # the plan's own counts (its file lists' fetches, files skipped)
    skipped: bool = False

    def work(self) -> None:
        return None

    def commit(self, result: None) -> RunStats:
        stats = RunStats() + (self.planned or RunStats())  # a retried unit must not count twice
        if self.skipped:
            stats.units.windows_skipped += 1
            return stats
        target = BriefSessions(self.run.db_path, self.run.config)
        return stats + close_window(target, self.source, self.window, self.run.run_id, self.paths, self.failure)


class CCNewsKind:
    def incremental(self, run: RunContext, source: AnySource) -> list[Unit[Job]]:
        return []  # CC-NEWS is read by backfill only, a month at a time

    def backfill(self, run: RunContext, source: AnySource, span: Window, *, force: bool) -> list[Unit[Job]]:
        assert isinstance(source, CCNewsSource)
        units: list[Unit[Job]] = []
        target = BriefSessions(run.db_path, run.config)
        for window in make_source(source).backfill_windows(span):
            name = f"{source.name} {window}"
            if WindowLedger(source.name, window).done(target) and not force:
                units.append(Unit(name, CloseWindowJob(run, source.name, window, skipped=True)))
                continue
            planned = RunStats()
            try:
                plan = plan_window(target, run.config, source, window, run.run_id, planned, force=force)
            except DiscoveryFailed as exc:
                units.append(Unit(name, CloseWindowJob(run, source.name, window, failure=str(exc), planned=planned)))
                continue
            units += [
                Unit(f"{source.name} {task.path.rsplit('/', 1)[-1]}", CrawlFileJob(run, source.name, span, task), True)
                for task in plan.tasks
            ]
            units.append(Unit(name, CloseWindowJob(run, source.name, window, plan.paths, planned=planned)))
        return units


CCNEWS = CCNewsKind()
