"""The deployments a configuration implies: what `serve` serves, what `deploy` registers on a server
(here the package's temporary Prefect server), and what their entry points do with bad parameters
and a Dask cluster."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import flows.deployments as deployments
from iot_ingest.config import load_config, parse_config
from iot_ingest.errors import UsageError
from iot_ingest.orchestrate import prefect_flows
from iot_ingest.orchestrate.deployments import ENTRY_POINTS, PROJECT_TAG, Change, deploy
from tests.support.ccnews_fake import CCNewsHost, build_month
from tests.support.cli_runner import CliResult

POOL = "iot-ingest-tests"
_HTTP = '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\nallow_private_hosts = ["127.0.0.1"]\n'
_HOURLY = '[[sources]]\nname = "dfe"\nkind = "govuk_search"\nbase_url = "https://www.gov.uk"\n'
_PRESS = '[[sources]]\nname = "feweek"\nkind = "feed"\nurl = "https://feweek.co.uk/feed/"\n'


def test_govuk_is_hourly_and_the_trade_press_six_hourly() -> None:
    config = parse_config(
        '[[sources]]\nname = "dfe"\nkind = "govuk_search"\nbase_url = "https://www.gov.uk"\n'
        '[[sources]]\nname = "finder"\nkind = "feed"\nurl = "https://www.gov.uk/search/news-and-communications.atom"\n'
        '[[sources]]\nname = "feweek"\nkind = "feed"\nurl = "https://feweek.co.uk/feed/"\n'
        '[[sources]]\nname = "off"\nkind = "feed"\nurl = "https://example.org/feed/"\nenabled = false\n',
        origin="test",
    )
    by_name = {s.name: s for s in deployments.schedules(config, db="/data/iot.duckdb")}
    assert by_name["govuk-hourly"].parameters == {"db": "/data/iot.duckdb", "sources": ["dfe", "finder"]}
    assert by_name["govuk-hourly"].cron == deployments.HOURLY
    assert by_name["trade-press"].parameters["sources"] == ["feweek"]
    assert by_name["nightly-sweep"].parameters == {"db": "/data/iot.duckdb", "sweep_failed": True}


def test_a_configuration_without_hourly_sources_implies_no_hourly_deployment() -> None:
    names = [s.full_name for s in deployments.schedules(parse_config(_PRESS, origin="test"))]
    assert names == ["ingest/trade-press", "ingest/nightly-sweep", "backfill/adhoc", "reprocess/adhoc"]


def test_serve_hands_prefect_one_deployment_per_schedule(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import prefect

    handed: list[Any] = []
    monkeypatch.setattr(prefect, "serve", lambda *items, **_: handed.extend(items))
    config = load_config(None, cwd=tmp_path)
    deployments.serve(config, db=str(tmp_path / "iot.duckdb"))
    assert [d.name for d in handed] == [s.name for s in deployments.schedules(config)]
    hourly = next(d for d in handed if d.name == "govuk-hourly")
    assert hourly.schedules[0].schedule.cron == deployments.HOURLY
    assert hourly.parameters["db"] == str(tmp_path / "iot.duckdb")


def test_every_entry_point_loads_by_module_path_with_the_package_flows_parameters() -> None:
    """A worker imports `flows.<flow>.<flow>`; the server enforces the package flow's parameter
    schema (what `deploy` registers), so the two signatures must be the same."""
    from prefect.flows import load_flow_from_entrypoint
    from prefect.utilities.callables import parameter_schema

    package = {"ingest": prefect_flows.ingest, "backfill": prefect_flows.backfill, "reprocess": prefect_flows.reprocess}
    assert set(ENTRY_POINTS) == set(package)
    for name, entrypoint in ENTRY_POINTS.items():
        loaded = load_flow_from_entrypoint(entrypoint)
        assert loaded.name == name, entrypoint
        assert parameter_schema(loaded.fn) == parameter_schema(package[name].fn), entrypoint


# ---- deploy, on the package's temporary server ------------------------------------------------


def _client() -> Any:
    from prefect.client.orchestration import get_client

    return get_client(sync_client=True)


@pytest.fixture(scope="module")
def pool() -> str:
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with _client() as client, contextlib.suppress(ObjectAlreadyExists):  # the module's other tests made it
        client.create_work_pool(WorkPoolCreate(name=POOL, type="process"))
    return POOL


@pytest.fixture
def clean_server() -> Iterator[None]:
    """No deployments of this project left from another test."""
    yield
    with _client() as client:
        for found in client.read_deployments():
            client.delete_deployment(found.id)


def _registered() -> dict[str, Any]:
    with _client() as client:
        flows = {flow.id: flow.name for flow in client.read_flows()}
        return {f"{flows[d.flow_id]}/{d.name}": d for d in client.read_deployments()}


def _actions(changes: list[Change]) -> dict[str, str]:
    return {change.name: change.action for change in changes}


def test_deploy_registers_what_the_configuration_implies_then_updates_and_prunes(
    tmp_path: Path, pool: str, clean_server: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.client.schemas.schedules import CronSchedule

    config_path, db = tmp_path / "iot-ingest.toml", tmp_path / "iot.duckdb"
    config_path.write_text(_HTTP + _HOURLY + _PRESS, "utf-8")
    wanted = deployments.schedules(load_config(config_path), db=str(db), config_path=str(config_path))

    with _client() as client:  # what `prefect deploy --all` of the old prefect.yaml left, untagged
        flow_id = client.create_flow_from_name("ingest")
        client.create_deployment(flow_id=flow_id, name="yaml", entrypoint="flows/ingest.py:ingest")
    first = deploy(load_config(config_path), db=db, config_path=config_path, pool=pool)
    assert _actions(first) == {**{s.full_name: "created" for s in wanted}, "ingest/yaml": "left"}
    registered = _registered()
    assert set(registered) == {s.full_name for s in wanted} | {"ingest/yaml"}
    del registered["ingest/yaml"]
    for item in wanted:
        found = registered[item.full_name]
        assert found.entrypoint == ENTRY_POINTS[item.flow] and found.path is None and not found.pull_steps
        assert found.parameters == item.parameters and found.parameters["config"] == str(config_path)
        assert found.tags == [PROJECT_TAG] and found.enforce_parameter_schema and found.work_pool_name == pool
        cron = [s.schedule for s in found.schedules if isinstance(s.schedule, CronSchedule)]
        crons = [(s.cron, s.timezone) for s in cron]
        assert crons == ([(item.cron, "Europe/London")] if item.cron else [])
        assert found.parameter_openapi_schema["properties"]["db"]  # the schema the server enforces
    with _client() as client:
        client.pause_deployment(registered["ingest/trade-press"].id)
        # Another project's deployment of a flow named the same: never ours to prune.
        client.create_deployment(flow_id=registered["ingest/trade-press"].flow_id, name="theirs", work_pool_name=pool)

    # Again, with relative paths: the same deployments (absolute paths), updated, the paused one paused.
    monkeypatch.chdir(tmp_path)
    again = deploy(load_config(config_path), db=Path("iot.duckdb"), config_path=Path("iot-ingest.toml"), pool=pool)
    assert _actions(again) == {**{s.full_name: "updated" for s in wanted}, "ingest/yaml": "left"}
    after = _registered()
    assert after["ingest/trade-press"].paused and not after["ingest/govuk-hourly"].paused
    assert all(after[s.full_name].parameters == s.parameters for s in wanted)
    assert {name: d.id for name, d in after.items() if name not in ("ingest/theirs", "ingest/yaml")} == {
        name: d.id for name, d in registered.items()
    }

    # The hourly source leaves: its deployment is left (and said to be) until --prune.
    config_path.write_text(_HTTP + _PRESS, "utf-8")
    left = deploy(load_config(config_path), db=db, config_path=config_path, pool=pool)
    assert _actions(left)["ingest/govuk-hourly"] == "left" and "ingest/govuk-hourly" in _registered()
    pruned = deploy(load_config(config_path), db=db, config_path=config_path, pool=pool, prune=True)
    assert _actions(pruned)["ingest/govuk-hourly"] == _actions(pruned)["ingest/yaml"] == "removed"
    assert set(_registered()) == {s.full_name for s in deployments.schedules(load_config(config_path))} | {
        "ingest/theirs"
    }


def test_deploy_names_the_command_that_creates_a_missing_pool(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no work pool 'nowhere' .*prefect work-pool create nowhere --type process"):
        deploy(parse_config(_PRESS, origin="test"), db=tmp_path / "iot.duckdb", config_path=None, pool="nowhere")


@pytest.mark.integration
def test_the_deploy_command_without_a_server_is_a_usage_error_and_an_unreachable_one_a_failure(
    cli_process: Callable[..., CliResult], tmp_path: Path
) -> None:
    unset = cli_process("deploy", "--db", tmp_path / "iot.duckdb", env={"PREFECT_API_URL": ""})
    assert unset.code == 2 and unset.err.count("\n") == 1 and "PREFECT_API_URL is not set" in unset.err
    gone = cli_process("deploy", env={"PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert gone.code == 1 and "cannot reach the Prefect server at http://127.0.0.1:9/api" in gone.err


# ---- what a deployment's run does with bad parameters and a Dask cluster ------------------------


def test_a_backfill_run_with_until_before_since_fails_naming_the_parameters() -> None:
    from flows.backfill import backfill

    state = backfill(date(2019, 4, 1), date(2019, 3, 1), return_state=True)
    assert state.is_failed() and state.message == "until 2019-03-01 is before since 2019-04-01"


def test_a_run_naming_a_source_the_configuration_lacks_fails_naming_it(tmp_path: Path) -> None:
    from flows.ingest import ingest

    config = tmp_path / "iot-ingest.toml"
    config.write_text(_PRESS, "utf-8")
    state = ingest(sources=["govuk"], db=str(tmp_path / "iot.duckdb"), config=str(config), return_state=True)
    assert state.is_failed()
    assert state.message == "sources: no source named 'govuk' in the configuration (known: feweek)"
    missing = ingest(config=str(tmp_path / "elsewhere.toml"), return_state=True)
    assert missing.is_failed() and "elsewhere.toml: no such file" in (missing.message or "")


def _artifact(key: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def latest() -> str:
        async with get_client() as client:
            found = await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
            return str(max(found, key=lambda a: a.created).data)

    return asyncio.run(latest())


@pytest.mark.integration
@pytest.mark.dask
def test_deployment_runs_of_a_crawl_backfill_and_reprocess_run_their_tasks_on_the_configured_dask_cluster(
    tmp_path: Path,
) -> None:
    """The entry points' runs pick the runner from the configuration they name (the package flow's
    own runner is fixed at its definition): a subflow on the cluster, and a count on the run."""
    from distributed import LocalCluster

    from flows.backfill import backfill
    from flows.reprocess import reprocess

    month = build_month(2019, 4, files=3, records_per_file=40)
    # Threads, not processes: worker processes would each start a Prefect server of their own.
    with (
        LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as cluster,
        CCNewsHost(month) as host,
    ):
        config = tmp_path / "iot-ingest.toml"
        config.write_text(
            _HTTP + f'[orchestration]\ndask_address = "{cluster.scheduler_address}"\n'
            f'[[sources]]\nname = "ccnews"\nkind = "ccnews"\nbase_url = "{host.base}"\nhost_suffixes = [".uk"]\n'
            "rate_limit = 50.0\n",
            "utf-8",
        )
        db = tmp_path / "iot.duckdb"
        per_window = backfill(date(2019, 4, 1), date(2019, 4, 30), db=str(db), config=str(config))
        counts = reprocess(db=str(db), config=str(config))
        # What the cluster itself saw: the crawl's files, each scanned there once, and extraction.
        prefixes = cluster.scheduler.task_prefixes
        # The cluster knows a task by its function: every unit's work is `run_work`, and only the
        # parallel units (the WARC files) are sent there.
        scanned = prefixes["run_work"].state_counts["memory"]
        extracted = prefixes["extract_chunk"].state_counts["memory"]
    files = [counts for name, counts in per_window.items() if name.endswith(".warc.gz")]
    assert len(files) == 3 and all(counts["files_done"] == 1 for counts in files)
    recorded = _artifact("backfill-dask")
    assert "3 task(s) on the Dask cluster" in recorded and "| scan WARC file | 3 |" in recorded
    assert cluster.scheduler_address in recorded and scanned == 3
    assert counts["reprocessed"] > 0 and extracted > 0
    assert f"| extract_chunk | {extracted} |" in _artifact("reprocess-dask")
