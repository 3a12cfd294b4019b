"""The deployments a configuration implies: served locally by `iot-ingest serve`, registered on a
Prefect server by `iot-ingest deploy` (the same names, schedules and parameters, from one rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from iot_ingest.config import GOVUK_EVERY_HOURS, Config
from iot_ingest.errors import CommandFailed, UsageError

if TYPE_CHECKING:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.responses import DeploymentResponse

__all__ = [
    "DEFAULT_POOL",
    "ENTRY_POINTS",
    "HOURLY",
    "NIGHTLY",
    "PROJECT_TAG",
    "SIX_HOURLY",
    "TIMEZONE",
    "Change",
    "Schedule",
    "deploy",
    "schedules",
    "serve",
]

HOURLY = "0 * * * *"
SIX_HOURLY = "15 */6 * * *"
NIGHTLY = "30 2 * * *"
TIMEZONE = "Europe/London"
DEFAULT_POOL = "iot-ingest"
# Every deployment `deploy` registers carries this tag: `--prune` removes only tagged deployments,
# so another project's deployments on a shared server are never touched.
PROJECT_TAG = "iot-ingest"
# What a worker imports to run each flow: the `flows` package installed beside `iot_ingest` (the
# wheel ships both), found by module path in the worker's own environment. Nothing about the
# deploying machine (its checkout, its working directory) is recorded in the deployment.
ENTRY_POINTS = {
    "ingest": "flows.ingest.ingest",
    "backfill": "flows.backfill.backfill",
    "reprocess": "flows.reprocess.reprocess",
}

# The entry points of the prefect.yaml that `deploy` replaced (`prefect deploy --all` made them,
# untagged): deployments of theirs are this project's too, so `--prune` can remove them.
_YAML_ENTRY_POINTS = frozenset(f"flows/{name}.py:{name}" for name in ENTRY_POINTS)


@dataclass(frozen=True)
class Schedule:
    """One deployment: which flow, when, with what."""

    flow: str  # ingest | backfill | reprocess
    name: str
    cron: str | None
    parameters: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    @property
    def full_name(self) -> str:
        """`flow/deployment`, as Prefect's CLI and UI name it."""
        return f"{self.flow}/{self.name}"


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


@dataclass(frozen=True)
class Change:
    """What `deploy` did to one deployment on the server."""

    name: str  # flow/deployment
    action: Literal["created", "updated", "removed", "left"]  # left: not implied, kept (no --prune)
    schedule: str  # `cron (timezone)`, or "ad hoc"


def deploy(
    config: Config, *, db: Path, config_path: Path | None, pool: str = DEFAULT_POOL, prune: bool = False
) -> list[Change]:
    """Register on the server PREFECT_API_URL names the deployments `config` implies (the rule of
    `serve`), with parameters naming `db` and `config_path` (absolute, as a worker elsewhere needs
    them); re-running updates them in place. A deployment an operator paused, or whose schedule
    they paused, stays paused. Deployments of this project (tagged `PROJECT_TAG`) that the
    configuration no longer implies are removed with `prune`, else reported as left."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise UsageError(
            "PREFECT_API_URL is not set: start a server (`prefect server start`) and set PREFECT_API_URL "
            "to its API, e.g. http://127.0.0.1:4200/api"
        )
    wanted = schedules(config, db=str(db.absolute()), config_path=str(config_path.absolute()) if config_path else None)
    with get_client(sync_client=True) as client:
        unreachable = client.api_healthcheck()
        if unreachable is not None:
            raise CommandFailed(f"cannot reach the Prefect server at {url}: {unreachable}")
        try:
            client.read_work_pool(pool)
        except ObjectNotFound:
            raise UsageError(
                f"no work pool {pool!r} on {url}: create it with `prefect work-pool create {pool} --type process`"
            ) from None
        ours = _project_deployments(client)
        changes = [_apply(item, pool, ours.get(item.full_name)) for item in wanted]
        implied = {item.full_name for item in wanted}
        for name, existing in sorted(ours.items()):
            if name in implied:
                continue
            if prune:
                client.delete_deployment(existing.id)
            changes.append(Change(name, "removed" if prune else "left", _described(existing)))
    return changes


def _project_deployments(client: SyncPrefectClient) -> dict[str, DeploymentResponse]:
    """This project's deployments on the server, by `flow/deployment`: tagged by `deploy`, or made
    by `prefect deploy` from the prefect.yaml this command replaced (its entry points)."""
    flow_names = {flow.id: flow.name for flow in client.read_flows()}
    return {
        f"{flow_names.get(d.flow_id, '?')}/{d.name}": d
        for d in client.read_deployments()
        if PROJECT_TAG in d.tags or d.entrypoint in _YAML_ENTRY_POINTS
    }


def _apply(item: Schedule, pool: str, existing: DeploymentResponse | None) -> Change:
    from prefect import Flow
    from prefect.deployments.runner import RunnerDeployment
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    from iot_ingest.orchestrate import prefect_flows

    active = True
    if existing is not None and item.cron is not None:
        # Re-deploying replaces the schedules: keep a schedule the operator paused paused.
        same = [s for s in existing.schedules if getattr(s.schedule, "cron", None) == item.cron]
        active = any(s.active for s in same) if same else True
    flows: dict[str, Flow[..., Any]] = {
        "ingest": prefect_flows.ingest,
        "backfill": prefect_flows.backfill,
        "reprocess": prefect_flows.reprocess,
    }
    # The package's flow has the entry point's signature (a test keeps the two in step), so its
    # parameter schema is the one the server enforces when a run is created.
    deployment = flows[item.flow].to_deployment(
        name=item.name,
        schedules=[Cron(item.cron, timezone=TIMEZONE, active=active, slug=item.name)] if item.cron else [],
        parameters=item.parameters,
        description=item.description,
        tags=[PROJECT_TAG],
        concurrency_limit=1,  # a run still going when its next one is due: the next one waits
        enforce_parameter_schema=True,  # a wrong-typed parameter is refused when the run is created
        paused=existing.paused if existing is not None else False,
        work_pool_name=pool,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    assert isinstance(deployment, RunnerDeployment)  # called from sync code: not a coroutine
    deployment.entrypoint = ENTRY_POINTS[item.flow]
    deployment.apply(work_pool_name=pool)
    schedule = f"{item.cron} ({TIMEZONE})" if item.cron else "ad hoc"
    return Change(item.full_name, "updated" if existing is not None else "created", schedule)


def _described(deployment: DeploymentResponse) -> str:
    from prefect.client.schemas.schedules import CronSchedule

    cron = [s.schedule for s in deployment.schedules if isinstance(s.schedule, CronSchedule)]
    crons: Sequence[str] = [f"{s.cron} ({s.timezone})" for s in cron]
    return ", ".join(crons) or "ad hoc"
