"""The scheduled deployments (served by `iot-ingest serve`, declared in prefect.yaml)."""

from iot_ingest.orchestrate.deployments import HOURLY, NIGHTLY, SIX_HOURLY, TIMEZONE, Schedule, schedules, serve

__all__ = ["HOURLY", "NIGHTLY", "SIX_HOURLY", "TIMEZONE", "Schedule", "schedules", "serve"]
