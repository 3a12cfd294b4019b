"""Deployment entry point `flows/backfill.py:backfill` (prefect.yaml): the date-range backfill's flow."""

from iot_ingest.orchestrate.prefect_flows import backfill

__all__ = ["backfill"]
