"""Deployment entry point `flows/ingest.py:ingest` (prefect.yaml).

Prefect reads an entry point's parameters from the flow's definition in this file, so the flow is
defined here, as a wrapper over the package's flow of the same name (what the CLI runs).
"""

from __future__ import annotations

from prefect import flow

from iot_ingest.orchestrate import prefect_flows


@flow(name="ingest", log_prints=True)
def ingest(
    sources: list[str] | None = None,
    db: str | None = None,
    config: str | None = None,
    sweep_failed: bool = False,
) -> dict[str, dict[str, int]]:
    """What each source has that is new since its last run; with `sweep_failed`, then every URL
    whose last fetch failed, whatever its source (the nightly sweep)."""
    return prefect_flows.ingest.fn(sources, db, config, sweep_failed)
