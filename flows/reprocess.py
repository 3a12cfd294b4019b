"""Deployment entry point `flows.reprocess.reprocess` (see `iot-ingest deploy`).

A worker imports this module by that path from its own environment (the package ships `flows`
beside `iot_ingest`). The flow has the signature of the package's flow of the same name (what
the CLI runs; a test keeps the two in step), then runs it on the task runner the configuration
names (a Dask cluster with `dask_address`).
"""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows._deployed import checked, config_of, on_configured_runner
from iot_ingest.orchestrate import prefect_flows
from iot_ingest.orchestrate.prefect_flows import reprocess_for

__all__ = ["reprocess", "reprocess_for"]


@flow(name="reprocess", log_prints=True)
def reprocess(db: str | None = None, config: str | None = None, allow_missing: bool = False) -> dict[str, int] | Any:
    """Rebuild articles, copies and announcements from the raw archive with today's extractors."""

    def run() -> dict[str, int]:
        chosen = prefect_flows.reprocess_for(config_of(config))
        return on_configured_runner("reprocess", chosen, prefect_flows.reprocess, db, config, allow_missing)

    return checked(run)
