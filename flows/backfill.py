"""Deployment entry point `flows/backfill.py:backfill` (prefect.yaml).

Prefect reads an entry point's parameters from the flow's definition in this file, so the flow is
defined here, as a wrapper over the package's flow of the same name (what the CLI runs).
"""

from __future__ import annotations

from datetime import date

from prefect import flow

from iot_ingest.orchestrate import prefect_flows


@flow(name="backfill", log_prints=True)
def backfill(
    since: date,
    until: date,
    sources: list[str] | None = None,
    force: bool = False,
    db: str | None = None,
    config: str | None = None,
) -> dict[str, dict[str, int]]:
    """Every (or the named) source over [since, until] in its windows, resumable window by window."""
    return prefect_flows.backfill.fn(since, until, sources, force, db, config)
