"""The one shape every kind of source has: it plans units, a unit's work holds no database, and
its result is committed in a short session by the process that runs the loop.

A kind is registered once in `iot_ingest.kinds.KINDS`; the run loop, the flows and the CLI know
no kind by name. A unit's argument (a `Job`) is plain, picklable data, so any mapper can run its
`work` here, in a thread, or on a Dask worker; `commit` runs where the loop runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from iot_ingest.config import AnySource, Config
from iot_ingest.sources import Window
from iot_ingest.stats import RunStats
from iot_ingest.units import Unit

__all__ = ["Job", "Kind", "RunContext", "commit_result", "run_work"]


@dataclass(frozen=True)
class RunContext:
    """What every unit of one run needs: where the warehouse is, the configuration, the run."""

    db_path: Path
    config: Config
    run_id: str


class Job(Protocol):
    """One unit's argument. `work` fetches, archives and extracts holding no database (it may read
    its state and commit as it goes in short sessions); `commit` loads its result."""

    # What an orchestrator calls the task of such a unit ("scan WARC file"); its runs take the unit's name.
    task_name: ClassVar[str]

    def work(self) -> Any: ...

    def commit(self, result: Any) -> RunStats: ...


class Kind(Protocol):
    """A kind of source: how an incremental run and a backfill of one source are cut into units."""

    def incremental(self, run: RunContext, source: AnySource) -> list[Unit[Job]]: ...

    def backfill(self, run: RunContext, source: AnySource, span: Window, *, force: bool) -> list[Unit[Job]]: ...


def run_work(job: Job) -> Any:
    """The work of any unit: a module-level function, so an orchestrator can name and ship it."""
    return job.work()


def commit_result(job: Job, result: Any) -> RunStats:
    return job.commit(result)
