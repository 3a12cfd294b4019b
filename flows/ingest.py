"""Deployment entry point `flows.ingest.ingest` (see `iot-ingest deploy`).

A worker imports this module by that path from its own environment (the package ships `flows`
beside `iot_ingest`). The flow has the signature of the package's flow of the same name (what
the CLI runs; a test keeps the two in step), checks its parameters, then runs it in this run.
"""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows._deployed import checked, config_of, known_sources
from iot_ingest.orchestrate import prefect_flows


@flow(name="ingest", log_prints=True)
def ingest(
    sources: list[str] | None = None,
    db: str | None = None,
    config: str | None = None,
    sweep_failed: bool = False,
) -> dict[str, dict[str, int]] | Any:
    """What each source has that is new since its last run; with `sweep_failed`, then every URL
    whose last fetch failed, whatever its source (the nightly sweep)."""

    def run() -> dict[str, dict[str, int]]:
        known_sources(config_of(config), sources)
        return prefect_flows.ingest.fn(sources, db, config, sweep_failed)

    return checked(run)
