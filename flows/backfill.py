"""`backfill`: a date range, one Prefect task per source and window, resumable window by window.

A CC-NEWS window runs in the flow's process, its WARC files as tasks on the flow's task runner (a
Dask cluster with `dask_address` or `dask_local_workers`); only this process writes the warehouse.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from datetime import date

from prefect import Flow, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows._support import run_id, settings, summarised
from flows.notify import notify_task
from flows.reprocess import dask_address
from iot_ingest import progress
from iot_ingest.ccnews import FileScan, ScanTask, scan_file
from iot_ingest.ccnews.backfill import ScanFailed
from iot_ingest.config import Config
from iot_ingest.ingest.collect import backfill_params, backfill_window, plan_backfill
from iot_ingest.runs import logged_run
from iot_ingest.sources import Window


# A file is scanned again only when its unit is not done: a cache would only hold results in memory.
@task(task_run_name="scan {task.path}", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=30)
def scan_file_task(task: ScanTask) -> FileScan:
    return scan_file(task)


def scan_on_runner(tasks: Sequence[ScanTask]) -> Iterator[FileScan | ScanFailed]:
    """Every file submitted at once (the runner spreads them), results taken in plan order."""
    futures = [scan_file_task.submit(t) for t in tasks]
    for scan_task, future in zip(tasks, futures, strict=True):
        try:
            yield future.result()
        except Exception as exc:  # recorded as the file's failure; the next run retries it
            yield ScanFailed(scan_task.path, f"{type(exc).__name__}: {exc}")


@task(task_run_name="backfill {source} {window.since}..{window.until}", retries=2, retry_delay_seconds=[10, 60])
def backfill_window_task(
    db: str, config: str | None, source: str, window: Window, span: Window, run: str, force: bool
) -> dict[str, int]:
    """Retried when it raises (the warehouse stayed locked past its wait); a window whose source
    fails is recorded as failed in `backfill_windows` and retried by the next backfill."""
    db_path, cfg = settings(db, config)
    counts = backfill_window(db_path, cfg, source, window, span, run, force=force)
    get_run_logger().info("%s %s..%s: %s", source, window.since, window.until, dict(sorted(counts.items())))
    return dict(counts)


@flow(name="backfill", log_prints=True)
def backfill(
    since: date,
    until: date,
    sources: list[str] | None = None,
    force: bool = False,
    db: str | None = None,
    config: str | None = None,
) -> dict[str, dict[str, int]]:
    """Every (or the named) source over [since, until] in calendar-month windows. Windows already
    done are skipped (the warehouse remembers them across runs) unless `force`."""
    db_path, cfg = settings(db, config)
    plan = plan_backfill(cfg, since, until, sources or ())
    per_window: dict[str, dict[str, int]] = {}
    with (
        logged_run(db_path, cfg, "backfill", backfill_params(plan, force), run_id()) as run,
        summarised("backfill", run, per_window, db_path, cfg, "window"),
        progress.bar("windows", len(plan.windows)) as bar,
    ):
        for source, window in plan.windows:
            if cfg.source(source).kind == "ccnews":
                found = backfill_window(
                    db_path, cfg, source, window, plan.span, run.run_id, force=force, scan_map=scan_on_runner
                )
                counts = dict(found)
            else:
                counts = backfill_window_task(str(db_path), config, source, window, plan.span, run.run_id, force)
            per_window[f"{source} {window.since}..{window.until}"] = counts
            run.counts.update(counts)
            bar.advance()
        run.counts.update(notify_task(str(db_path), config, run.run_id))
    return per_window


def backfill_for(config: Config) -> Flow[..., dict[str, dict[str, int]]]:
    """The backfill flow on the configured Dask cluster, or on a temporary local one of
    `dask_local_workers` processes; as it is when neither is set."""
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
