"""The deployments a configuration implies (served by `iot-ingest serve`, registered by `iot-ingest deploy`)."""

from iot_ingest.orchestrate.deployments import HOURLY, NIGHTLY, SIX_HOURLY, TIMEZONE, Schedule, schedules, serve

__all__ = ["HOURLY", "NIGHTLY", "SIX_HOURLY", "TIMEZONE", "Schedule", "schedules", "serve"]
