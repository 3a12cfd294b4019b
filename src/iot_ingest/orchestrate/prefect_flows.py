"""The Prefect flows `ingest`, `backfill` and `reprocess`: thin wrappers over the library's run loop.

A flow passes the loop a Prefect mapper (each unit a named, retried task), takes its run id from
Prefect, and leaves the run's summary as a Markdown artifact. The top-level `flows/` modules that
`prefect.yaml` names import these.
"""

from __future__ import annotations

import os
import uuid

# Prefect reads its settings at import. Offline, the temporary server's telemetry fails noisily and
# races its own SQLite database; an operator's own setting still wins.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# A first start on a fresh PREFECT_HOME migrates its database: 15 s on an idle 2-core machine, more
# on a busy one, past Prefect's default 20 s wait (PrefectHQ/prefect#16397).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

from prefect import Flow, flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from pydantic import Field

from iot_ingest.archive import Capture
from iot_ingest.config import Config, load_config
from iot_ingest.ingest.process import ExtractedCapture, process_capture
from iot_ingest.ingest.reprocess import reprocess as reprocess_archive
from iot_ingest.notify import DomainEvent
from iot_ingest.orchestrate import jobs
from iot_ingest.orchestrate.loop import RunReport, after_loading
from iot_ingest.orchestrate.mapper import Unit
from iot_ingest.run_summary import summary_markdown
from iot_ingest.runs import Run, announcement_ids
from iot_ingest.topics import TopicSet
from iot_ingest.warehouse import default_db_path, open_reader

__all__ = [
    "EVENT_PREFIX",
    "IsoDate",
    "PrefectTasks",
    "backfill",
    "backfill_for",
    "dask_address",
    "emit_domain_events",
    "ingest",
    "reprocess",
    "reprocess_for",
]

# A deployment refuses a run whose parameters do not match its schema when the run is created; the
# server checks a pattern but not JSON Schema's `format: date`, so a day carries both.
IsoDate = Annotated[date, Field(json_schema_extra={"pattern": r"^\d{4}-\d{2}-\d{2}$"})]

A = TypeVar("A")
R = TypeVar("R")

CHUNK = 50  # captures per extraction task: tens of tasks per thousand pages, not one per page
# A unit that raises (the warehouse stayed locked past its wait, a disk error) is tried again later.
UNIT_RETRIES = 2
UNIT_RETRY_DELAYS_S = (10, 60)
EVENT_PREFIX = "iot_ingest."
# Event ids derived from the event's identity: a Prefect server drops an id it has seen.
_EVENT_IDS = uuid.UUID("0b9f5a3e-2f55-4d2e-9d8e-6c1f3a7b4e21")


class PrefectTasks:
    """Each unit a Prefect task named `<prefix> <unit>`, retried when it raises (the warehouse stayed
    locked past its wait, a disk error); a source that merely fails to answer is recorded by the
    library and does not raise. Units marked `parallel` (a crawl's WARC files) are submitted to the
    flow's task runner together (a Dask cluster included); the others run one after another in the
    flow's process. Results come back in the units' order either way."""

    def __init__(
        self,
        prefix: str,
        *,
        retries: int | None = None,
        retry_delay_seconds: Sequence[float] | None = None,
    ) -> None:
        self.prefix = prefix
        self.retries = UNIT_RETRIES if retries is None else retries
        delays = UNIT_RETRY_DELAYS_S if retry_delay_seconds is None else retry_delay_seconds
        self.retry_delay_seconds: list[float] = [float(delay) for delay in delays]
        self.submitted = 0  # units handed to the task runner (a Dask cluster's workers, when it is one)

    def map(self, work: Callable[[A], R], units: Sequence[Unit[A]]) -> Iterator[tuple[Unit[A], R]]:
        # Units are small, picklable descriptions; hashing them for a cache key would buy nothing.
        runs = task(retries=self.retries, retry_delay_seconds=self.retry_delay_seconds, cache_policy=NO_CACHE)(work)
        submitted: list[tuple[Unit[A], PrefectFuture[R]]] = []
        for unit in units:
            # Tasks are named by what kind of unit they are ("scan WARC file"), runs by the unit.
            kind = getattr(unit.args, "task_name", work.__name__)
            one = runs.with_options(name=kind, task_run_name=f"{self.prefix} {unit.name}")
            if unit.parallel:
                submitted.append((unit, one.submit(unit.args)))
                self.submitted += 1
                continue
            yield from _results(submitted)
            submitted = []
            yield unit, one(unit.args)
        yield from _results(submitted)


def _results(submitted: list[tuple[Unit[A], PrefectFuture[R]]]) -> Iterator[tuple[Unit[A], R]]:
    for unit, future in submitted:
        yield unit, future.result()


def emit_domain_events(events: Sequence[DomainEvent]) -> None:
    """Each domain event as a Prefect event `iot_ingest.<event>` about its announcement or source:
    what a Prefect Automation turns into a Slack, Teams or e-mail message."""
    for event in events:
        kind = "source" if event.name.startswith("source.") else "announcement"
        name = event.payload.get("source") if kind == "source" else event.payload.get("headline")
        resource = {
            "prefect.resource.id": f"iot_ingest.{kind}.{event.resource_id}",
            "prefect.resource.name": str(name or event.subject_id),
            "iot_ingest.subject_id": event.subject_id,
        }
        emit_event(
            event=EVENT_PREFIX + event.name,
            resource=resource,
            payload=dict(event.payload),
            id=uuid.uuid5(_EVENT_IDS, event.key),
        )


def settings(db: str | None, config: str | None) -> tuple[Path, Config]:
    """Flow parameters are strings, so deployments can set them; None means the CLI's defaults."""
    return (Path(db) if db else default_db_path()), load_config(Path(config) if config else None)


def run_id() -> str | None:
    """The Prefect flow run's id, so the warehouse's `runs` row and Prefect's run are one run."""
    return flow_run.get_id()


def leave_artifact(report: RunReport) -> str:
    """Write the run's Markdown summary as a Prefect artifact, emit the run's domain events, and
    return the summary."""
    emit_domain_events(report.notified.events)
    for error in report.notified.errors:
        get_run_logger().warning("notification: %s", error)
    markdown = summary_markdown(
        report.flow, report.run.run_id, report.status, report.per_unit, report.new, unit=report.unit
    )
    create_markdown_artifact(
        markdown, key=f"{report.flow}-summary", description=f"What the {report.flow} run fetched, found and loaded"
    )
    get_run_logger().info(
        "%s run %s (%s): %d new announcement(s)", report.flow, report.run.run_id, report.status, len(report.new)
    )
    return markdown


@flow(name="ingest", log_prints=True)
def ingest(
    sources: list[str] | None = None,
    db: str | None = None,
    config: str | None = None,
    sweep_failed: bool = False,
) -> dict[str, dict[str, int]]:
    """What each source has that is new since its last run; with `sweep_failed`, then every URL
    whose last fetch failed, whatever its source (the nightly sweep)."""
    db_path, cfg = settings(db, config)
    report = jobs.ingest(
        db_path,
        cfg,
        sources or (),
        sweep_failed=sweep_failed,
        mapper=PrefectTasks("ingest"),
        run_id=run_id(),
        publish=leave_artifact,
    )
    return report.as_dicts()


@flow(name="backfill", log_prints=True)
def backfill(
    since: IsoDate,
    until: IsoDate,
    sources: list[str] | None = None,
    force: bool = False,
    db: str | None = None,
    config: str | None = None,
) -> dict[str, dict[str, int]]:
    """Every (or the named) source over [since, until] in its windows. Windows already done are
    skipped (the warehouse remembers them across runs) unless `force`; a window whose source fails
    is recorded as failed and retried by the next backfill."""
    db_path, cfg = settings(db, config)
    report = jobs.backfill(
        db_path,
        cfg,
        since,
        until,
        sources or (),
        force=force,
        mapper=PrefectTasks("backfill"),
        run_id=run_id(),
        publish=leave_artifact,
    )
    return report.as_dicts()


# Inputs are page bodies: hashing them for a cache key would cost more than extracting them again.
@task(cache_policy=NO_CACHE)
def extract_chunk(captures: list[Capture], topics: TopicSet) -> list[ExtractedCapture]:
    return [process_capture(capture, topics) for capture in captures]


def _spreader(topics: TopicSet) -> Callable[[list[Capture]], list[ExtractedCapture]]:
    def spread(captures: list[Capture]) -> list[ExtractedCapture]:
        chunks = [captures[start : start + CHUNK] for start in range(0, len(captures), CHUNK)]
        futures = extract_chunk.map(chunks, topics=unmapped(topics))
        return [item for future in futures for item in future.result()]

    return spread


@flow(name="reprocess", log_prints=True)
def reprocess(db: str | None = None, config: str | None = None, allow_missing: bool = False) -> dict[str, int]:
    """Rebuild articles, copies and announcements from the raw archive with today's extractors.

    Extraction is pure, so batches of captures run as Prefect tasks on the flow's task runner, a
    Dask cluster included (`dask_address`), while loading stays in this process: DuckDB has one writer.
    """
    db_path, cfg = settings(db, config)
    with open_reader(db_path, cfg) as con:
        before = frozenset(announcement_ids(con))
    report = RunReport("reprocess", "input", Run(run_id=run_id() or "", flow="reprocess", announcements_before=before))
    try:
        stats = reprocess_archive(
            db_path,
            cfg,
            run_id=report.run.run_id or None,
            extract_many=_spreader(cfg.topic_set()),
            allow_missing=allow_missing,
        )
        report.per_unit["raw archive"] = stats
        report.run.stats = stats
        report.status = "completed"
    except BaseException:
        report.status = "failed"
        _publish_quietly(db_path, cfg, report)
        raise
    after_loading(db_path, cfg, report)
    leave_artifact(report)
    get_run_logger().info("reprocess: %s", stats.as_dict())
    return stats.as_dict()


def _publish_quietly(db_path: Path, config: Config, report: RunReport) -> None:
    try:
        after_loading(db_path, config, report)
        leave_artifact(report)
    except Exception as exc:  # the run's own error is the one to report
        get_run_logger().warning("no summary for the failed %s run: %s", report.flow, exc)


def dask_address(config: Config) -> str | None:
    return os.environ.get("IOT_INGEST_DASK_ADDRESS") or config.orchestration.dask_address


def reprocess_for(config: Config) -> Flow[..., dict[str, int]]:
    """The reprocess flow, on the configured Dask cluster if there is one."""
    address = dask_address(config)
    if not address:
        return reprocess
    from prefect_dask import DaskTaskRunner  # type: ignore[attr-defined]

    return reprocess.with_options(task_runner=DaskTaskRunner(address=address))  # type: ignore[arg-type]


def backfill_for(config: Config) -> Flow[..., dict[str, dict[str, int]]]:
    """The backfill flow on the configured Dask cluster, or on a temporary local one of
    `dask_local_workers` processes (for a crawl's WARC files); as it is when neither is set."""
    address = dask_address(config)
    workers = int(os.environ.get("IOT_INGEST_DASK_WORKERS") or config.orchestration.dask_local_workers)
    if not address and not workers:
        return backfill
    from prefect_dask import DaskTaskRunner  # type: ignore[attr-defined]

    if address:
        runner = DaskTaskRunner(address=address)
    else:
        runner = DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "dashboard_address": None},
        )
    return backfill.with_options(task_runner=runner)  # type: ignore[arg-type]


def flows_for(config: Config) -> dict[str, Flow[..., Any]]:
    """The flows by name, as deployments name them."""
    return {"ingest": ingest, "backfill": backfill_for(config), "reprocess": reprocess_for(config)}
