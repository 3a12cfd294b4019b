"""The scheduled deployments, served locally by `iot-ingest serve` and declared for a Prefect
server or Cloud in `prefect.yaml` (the same names, schedules and parameters; a test keeps them so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from iot_ingest.config import GOVUK_EVERY_HOURS, Config

HOURLY = "0 * * * *"
SIX_HOURLY = "15 */6 * * *"
NIGHTLY = "30 2 * * *"
TIMEZONE = "Europe/London"


@dataclass(frozen=True)
class Schedule:
    """One deployment: which flow, when, with what."""

    flow: str  # ingest | backfill | reprocess
    name: str
    cron: str | None
    parameters: dict[str, Any] = field(default_factory=dict)
    description: str = ""


def schedules(config: Config, *, db: str | None = None, config_path: str | None = None) -> list[Schedule]:
    """Sources polled at the rhythm their configuration expects (`expected_every_hours`, also what
    `v_pipeline_health` judges them by): GOV.UK hourly, the trade press every six hours; a nightly
    sweep of failed fetches, and the two ad-hoc flows (no schedule: run them with parameters)."""
    common: dict[str, Any] = {key: value for key, value in (("db", db), ("config", config_path)) if value}
    enabled = [s for s in config.sources if s.enabled]
    govuk = [s.name for s in enabled if s.expected_every_hours == GOVUK_EVERY_HOURS]
    press = [s.name for s in enabled if s.expected_every_hours != GOVUK_EVERY_HOURS]
    found: list[Schedule] = []
    if govuk:
        found.append(Schedule("ingest", "govuk-hourly", HOURLY, {**common, "sources": govuk}, "GOV.UK, every hour"))
    if press:
        found.append(
            Schedule("ingest", "trade-press", SIX_HOURLY, {**common, "sources": press}, "Trade press, every six hours")
        )
    found += [
        Schedule(
            "ingest",
            "nightly-sweep",
            NIGHTLY,
            {**common, "sweep_failed": True},
            "Every source, then every URL whose last fetch failed",
        ),
        Schedule("backfill", "adhoc", None, dict(common), "A date range: --param since=... --param until=..."),
        Schedule("reprocess", "adhoc", None, dict(common), "Rebuild from the raw archive after an extractor change"),
    ]
    return found


def serve(config: Config, *, db: str | None = None, config_path: str | None = None) -> None:
    """Serve every deployment from this process until stopped (no Prefect server to install)."""
    from prefect import serve as prefect_serve
    from prefect.schedules import Cron

    from iot_ingest.orchestrate.prefect_flows import flows_for

    flows = flows_for(config)
    deployments = [
        flows[item.flow].to_deployment(
            name=item.name,
            schedules=[Cron(item.cron, timezone=TIMEZONE)] if item.cron else None,
            parameters=item.parameters,
            description=item.description,
            concurrency_limit=1,  # a run still going when its next one is due: the next one waits
        )
        for item in schedules(config, db=db, config_path=config_path)
    ]
    prefect_serve(*deployments)  # type: ignore[arg-type]
