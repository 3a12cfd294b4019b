"""Deployment entry point `flows/reprocess.py:reprocess` (prefect.yaml): rebuilding from the raw archive."""

from iot_ingest.orchestrate.prefect_flows import reprocess, reprocess_for

__all__ = ["reprocess", "reprocess_for"]
