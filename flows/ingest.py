"""Deployment entry point `flows/ingest.py:ingest` (prefect.yaml): the incremental run's flow."""

from iot_ingest.orchestrate.prefect_flows import ingest

__all__ = ["ingest"]
