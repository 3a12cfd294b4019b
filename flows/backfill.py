"""Deployment entry point `flows.backfill.backfill` (see `iot-ingest deploy`).

A worker imports this module by that path from its own environment (the package ships `flows`
beside `iot_ingest`). The flow has the signature of the package's flow of the same name (what
the CLI runs; a test keeps the two in step), checks its parameters, then runs it on the task
runner the configuration names (a Dask cluster for a crawl's WARC files).
"""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows._deployed import checked, config_of, known_sources, on_configured_runner
from iot_ingest.errors import UsageError
from iot_ingest.orchestrate import prefect_flows
from iot_ingest.orchestrate.prefect_flows import IsoDate


@flow(name="backfill", log_prints=True)
def backfill(
    since: IsoDate,
    until: IsoDate,
    sources: list[str] | None = None,
    force: bool = False,
    db: str | None = None,
    config: str | None = None,
) -> dict[str, dict[str, int]] | Any:
    """Every (or the named) source over [since, until] in its windows, resumable window by window."""

    def run() -> dict[str, dict[str, int]]:
        if until < since:
            raise UsageError(f"until {until} is before since {since}")
        cfg = config_of(config)
        known_sources(cfg, sources)
        plain, chosen = prefect_flows.backfill, prefect_flows.backfill_for(cfg)
        return on_configured_runner("backfill", chosen, plain, since, until, sources, force, db, config)

    return checked(run)
