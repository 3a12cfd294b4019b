"""`reprocess`: re-extract and re-deduplicate from the raw archive, no network.

Extraction is pure, so batches of captures run as Prefect tasks on the flow's task runner, a Dask
cluster included (`dask_address`), while loading stays in this process: DuckDB has one writer.
"""

from __future__ import annotations

import os

from prefect import Flow, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows._support import run_id, settings, summarised
from iot_ingest.archive import Capture
from iot_ingest.config import Config
from iot_ingest.ingest.process import ExtractedCapture, process_capture
from iot_ingest.ingest.reprocess import reprocess as reprocess_archive
from iot_ingest.runs import Run, announcement_ids
from iot_ingest.warehouse import open_reader

CHUNK = 50  # captures per extraction task: tens of tasks per thousand pages, not one per page


# Inputs are page bodies: hashing them for a cache key would cost more than extracting them again.
@task(cache_policy=NO_CACHE)
def extract_chunk(captures: list[Capture]) -> list[ExtractedCapture]:
    return [process_capture(capture) for capture in captures]


def _spread(captures: list[Capture]) -> list[ExtractedCapture]:
    chunks = [captures[start : start + CHUNK] for start in range(0, len(captures), CHUNK)]
    futures = extract_chunk.map(chunks)
    return [item for future in futures for item in future.result()]


@flow(name="reprocess", log_prints=True)
def reprocess(db: str | None = None, config: str | None = None, allow_missing: bool = False) -> dict[str, int]:
    """Rebuild articles, copies and announcements from the raw archive with today's extractors."""
    db_path, cfg = settings(db, config)
    with open_reader(db_path, cfg) as con:
        before = frozenset(announcement_ids(con))
    run = Run(run_id=run_id() or "", flow="reprocess", announcements_before=before)
    per_unit = {"raw archive": run.counts}
    with summarised("reprocess", run, per_unit, db_path, cfg, "input"):
        run.counts.update(
            reprocess_archive(
                db_path, cfg, run_id=run.run_id or None, extract_many=_spread, allow_missing=allow_missing
            )
        )
    get_run_logger().info("reprocess: %s", dict(sorted(run.counts.items())))
    return dict(run.counts)


def dask_address(config: Config) -> str | None:
    return os.environ.get("IOT_INGEST_DASK_ADDRESS") or config.orchestration.dask_address


def reprocess_for(config: Config) -> Flow[..., dict[str, int]]:
    """The reprocess flow, on the configured Dask cluster if there is one."""
    address = dask_address(config)
    if not address:
        return reprocess
    from prefect_dask import DaskTaskRunner  # type: ignore[attr-defined]

    return reprocess.with_options(task_runner=DaskTaskRunner(address=address))  # type: ignore[arg-type]
