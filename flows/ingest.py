"""`ingest`: the incremental run of some or all sources, one Prefect task per source."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from flows._support import run_id, settings, summarised
from flows.notify import notify_task
from iot_ingest import progress
from iot_ingest.ingest.collect import ingest_source, select_sources
from iot_ingest.ingest.fetch_urls import fetch_urls
from iot_ingest.runs import logged_run


@task(task_run_name="ingest {source}", retries=2, retry_delay_seconds=[10, 60])
def ingest_source_task(db: str, config: str | None, source: str, run: str) -> dict[str, int]:
    """Retried when it raises (the warehouse stayed locked past its wait, a disk error); a source
    that merely fails to answer is recorded by the library and does not raise."""
    db_path, cfg = settings(db, config)
    counts = ingest_source(db_path, cfg, source, run)
    get_run_logger().info("%s: %s", source, dict(sorted(counts.items())))
    return dict(counts)


@task(task_run_name="retry failed fetches", retries=2, retry_delay_seconds=[10, 60])
def sweep_failed_task(db: str, config: str | None) -> dict[str, int]:
    db_path, cfg = settings(db, config)
    return dict(fetch_urls([], db_path, cfg, retry_failed=True))


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
    chosen = [s.name for s in select_sources(cfg, sources or ())]
    per_source: dict[str, dict[str, int]] = {}
    params = {"sources": chosen, "sweep_failed": sweep_failed}
    with (
        logged_run(db_path, cfg, "ingest", params, run_id()) as run,
        summarised("ingest", run, per_source, db_path, cfg, "source"),
    ):
        with progress.bar("sources", len(chosen)) as bar:
            for name in chosen:
                per_source[name] = ingest_source_task(str(db_path), config, name, run.run_id)
                run.counts.update(per_source[name])
                bar.advance()
        if sweep_failed:
            per_source["failed fetches"] = sweep_failed_task(str(db_path), config)
            run.counts.update(per_source["failed fetches"])
        run.counts.update(notify_task(str(db_path), config, run.run_id))
    return per_source
