"""Page sources (GOV.UK search, feeds, sitemaps, listings, Wayback): an incremental run is one unit,
a backfill one unit per window the adapter cuts (`Source.backfill_windows`). Their work fetches
politely and commits as it goes (`iot_ingest.ingest.page_units`), so `commit` passes its counts on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from iot_ingest.config import AnySource
from iot_ingest.ingest.page_units import backfill_window, ingest_source
from iot_ingest.kinds.base import Job, RunContext
from iot_ingest.sources import Window, make_source
from iot_ingest.stats import RunStats
from iot_ingest.units import Unit

__all__ = ["PAGES", "PageSourceJob", "PageWindowJob"]


@dataclass(frozen=True)
class PageSourceJob:
    """One page source's incremental run."""

    task_name: ClassVar[str] = "source run"

    run: RunContext
    source: str

    def work(self) -> RunStats:
        return ingest_source(self.run.db_path, self.run.config, self.source, self.run.run_id)

    def commit(self, result: RunStats) -> RunStats:
        return result  # committed as it went


@dataclass(frozen=True)
class PageWindowJob:
    """One page source over one backfill window, recorded in `backfill_windows`."""

    task_name: ClassVar[str] = "backfill window"

    run: RunContext
    source: str
    window: Window
    span: Window
    force: bool

    def work(self) -> RunStats:
        run = self.run
        return backfill_window(
            run.db_path, run.config, self.source, self.window, self.span, run.run_id, force=self.force
        )

    def commit(self, result: RunStats) -> RunStats:
        return result


class PageKind:
    def incremental(self, run: RunContext, source: AnySource) -> list[Unit[Job]]:
        return [Unit(source.name, PageSourceJob(run, source.name))]

    def backfill(self, run: RunContext, source: AnySource, span: Window, *, force: bool) -> list[Unit[Job]]:
        return [
            Unit(f"{source.name} {window}", PageWindowJob(run, source.name, window, span, force))
            for window in make_source(source).backfill_windows(span)
        ]


PAGES = PageKind()
