"""`backfill`: a date range, one Prefect task per source and window, resumable window by window."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger, task

from flows._support import run_id, settings, summarised
from flows.notify import notify_task
from iot_ingest import progress
from iot_ingest.ingest.collect import backfill_params, backfill_window, plan_backfill
from iot_ingest.runs import logged_run
from iot_ingest.sources import Window


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
            counts = backfill_window_task(str(db_path), config, source, window, plan.span, run.run_id, force)
            per_window[f"{source} {window.since}..{window.until}"] = counts
            run.counts.update(counts)
            bar.advance()
        run.counts.update(notify_task(str(db_path), config, run.run_id))
    return per_window
