"""Deployment entry point `flows/reprocess.py:reprocess` (prefect.yaml).

Prefect reads an entry point's parameters from the flow's definition in this file, so the flow is
defined here, as a wrapper over the package's flow of the same name (what the CLI runs).
"""

from __future__ import annotations

from prefect import flow

from iot_ingest.orchestrate import prefect_flows
from iot_ingest.orchestrate.prefect_flows import reprocess_for

__all__ = ["reprocess", "reprocess_for"]


@flow(name="reprocess", log_prints=True)
def reprocess(db: str | None = None, config: str | None = None, allow_missing: bool = False) -> dict[str, int]:
    """Rebuild articles, copies and announcements from the raw archive with today's extractors."""
    return prefect_flows.reprocess.fn(db, config, allow_missing)
