"""The README's "Operations" runbook, command by command, on a real Prefect server.

`prefect server start` on a free loopback port with a PREFECT_HOME of its own, a process work pool
and worker, a Dask scheduler and worker, `iot-ingest deploy` of a configuration of loopback sites;
then an incremental run and a backfill (a sitemap and a CC-NEWS month, its files on the cluster),
parameters refused or failed, logs and artifacts, a late source, pausing and pruning. Every
command in the section's code blocks is run as written, with ports, paths and ids substituted,
and the test fails if one is not. One server, one test: the steps depend on each other, and the
server's start (~15 s) is paid once. Reprocess on the cluster is tested from its entry point in
tests/orchestration/test_deployments.py: a deployment run of it here would cost the suite another
half minute for the same code path.
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from iot_ingest.config import parse_config
from iot_ingest.orchestrate.deployments import PROJECT_TAG, TIMEZONE, schedules
from tests.support.ccnews_fake import CCNewsHost, FakeMonth, build_month
from tests.support.fakes import FakeTradePress, sample_dataset

# A real Prefect server, worker and Dask cluster for minutes: CI runs it as a step of its own
# (`make test-operations`), so that `make test` stays a few minutes.
pytestmark = [pytest.mark.integration, pytest.mark.serial, pytest.mark.operations]

BIN = Path(sys.executable).parent
README = Path(__file__).parents[2] / "README.md"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DEPLOY = ".venv/bin/iot-ingest deploy --config /srv/iot-ingest/iot-ingest.toml --db /srv/iot-ingest/iot.duckdb"
RUN_TIMEOUT_S = 400  # a run on a busy 2-core machine: process start, imports, the work


def runbook() -> list[str]:
    """The command lines of the README's Operations section's code blocks, in order."""
    text = README.read_text("utf-8")
    section = text.split("\n## Operations\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Operator:
    """Runs the README's commands as an operator would type them, in a shell of its own."""

    home: Path
    subs: dict[str, str]
    env: dict[str, str] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)
    background: list[tuple[subprocess.Popen[bytes], Path]] = field(default_factory=list)

    def argv(self, command: str, changes: Mapping[str, str]) -> list[str]:
        assert command in runbook(), f"not a command of the README's Operations section: {command}"
        self.done.add(command)
        text = command
        for old, new in {**self.subs, **changes}.items():
            text = text.replace(old, new)
        args = shlex.split(text)
        if args[0].startswith(".venv/bin/"):
            args[0] = str(BIN / args[0].removeprefix(".venv/bin/"))
        return args

    def export(self, command: str) -> None:
        name, value = self.argv(command, {})[1].split("=", 1)
        self.env[name] = value

    def run(self, command: str, *, expect: int = 0, **changes: str) -> str:
        done = subprocess.run(
            self.argv(command, changes), env=self.env, cwd=self.home, capture_output=True, text=True, timeout=600
        )
        out = done.stdout + done.stderr
        assert done.returncode == expect, f"{command} exited {done.returncode}, not {expect}:\n{out}"
        return out

    def together(self, *calls: tuple[str, dict[str, str]]) -> list[str]:
        """Commands that do not depend on each other, all at once (each `(command, changes)`)."""
        with ThreadPoolExecutor(len(calls)) as pool:
            return list(pool.map(lambda call: self.run(call[0], **call[1]), calls))

    def spawn(self, command: str, **changes: str) -> subprocess.Popen[str]:
        """A command that takes a while (a watched run), left running while others start."""
        return subprocess.Popen(
            self.argv(command, changes),
            env=self.env,
            cwd=self.home,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def start(self, command: str, log: str) -> None:
        """A service (server, worker): runs until the test ends, its output in a log file."""
        path = self.home / log
        with path.open("wb") as out:
            process = subprocess.Popen(
                self.argv(command, {}), env=self.env, cwd=self.home, stdout=out, stderr=subprocess.STDOUT
            )
        self.background.append((process, path))

    def log(self, name: str) -> str:
        return (self.home / name).read_text("utf-8", errors="replace")

    def stop(self) -> None:
        for process, _ in reversed(self.background):
            process.terminate()
        for process, _ in reversed(self.background):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def finished(process: subprocess.Popen[str], expect: int) -> tuple[str, str]:
    """A watched run's output and flow run id, once `prefect deployment run --watch` returns."""
    out, _ = process.communicate(timeout=RUN_TIMEOUT_S)
    assert process.returncode == expect, out
    found = re.search(r"UUID: (" + UUID.pattern + ")", out)
    assert found, out
    return out, found.group(1)


def config_text(press: FakeTradePress, crawl: CCNewsHost, dask_port: int, *, dfe: bool) -> str:
    text = (
        '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
        'allow_private_hosts = ["127.0.0.1"]\nmax_attempts = 1\n'
        "[warehouse]\nlock_timeout_s = 120\n"
        f'[orchestration]\ndask_address = "tcp://127.0.0.1:{dask_port}"\n'
        f'[[sources]]\nname = "press"\nkind = "feed"\nurl = "{press.url("/feed/")}"\nrate_limit = 50.0\n'
        f'[[sources]]\nname = "press-map"\nkind = "sitemap"\nurl = "{press.url("/sitemap_index.xml")}"\n'
        "rate_limit = 50.0\n"
        # Nothing listens there: the source that never answers, what v_pipeline_health calls stale.
        f'[[sources]]\nname = "gone"\nkind = "feed"\nurl = "http://127.0.0.1:{free_port()}/feed/"\n'
        f'[[sources]]\nname = "ccnews"\nkind = "ccnews"\nbase_url = "{crawl.base}"\nhost_suffixes = [".uk"]\n'
        "rate_limit = 50.0\n"
    )
    if dfe:  # an hourly source, so the configuration implies `ingest/govuk-hourly` until it leaves
        text += f'[[sources]]\nname = "dfe"\nkind = "govuk_search"\nbase_url = "http://127.0.0.1:{free_port()}"\n'
    return text


def api(url: str, method: str, path: str, body: Any = None) -> Any:
    response = httpx.request(method, url + path, json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def deployments(url: str) -> dict[str, dict[str, Any]]:
    flows = {flow["id"]: flow["name"] for flow in api(url, "POST", "/flows/filter", {})}
    return {f"{flows[d['flow_id']]}/{d['name']}": d for d in api(url, "POST", "/deployments/filter", {})}


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def sites() -> Iterator[tuple[FakeTradePress, CCNewsHost, FakeMonth]]:
    _, items = sample_dataset()
    month = build_month(2019, 4, files=2, records_per_file=60, on_topic_every=20)
    with FakeTradePress(items, feed_size=10) as press, CCNewsHost(month) as crawl:
        yield press, crawl, month


def test_the_operations_runbook_on_a_real_prefect_server(
    tmp_path: Path, sites: tuple[FakeTradePress, CCNewsHost, FakeMonth]
) -> None:
    press, crawl, month = sites
    port, dask_port = free_port(), free_port()
    config, db = tmp_path / "iot-ingest.toml", tmp_path / "iot.duckdb"
    config.write_text(config_text(press, crawl, dask_port, dfe=True), "utf-8")
    home = tmp_path / "operator"
    home.mkdir()
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "IOT_INGEST_"))}
    env = {
        **keep,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # The worker asks for runs every 2 s, not every 10: the test waits less, runs the same.
        "PREFECT_WORKER_QUERY_SECONDS": "2",
    }
    subs = {
        "4200": str(port),
        "8786": str(dask_port),
        "/srv/iot-ingest/iot-ingest.toml": str(config),
        "/srv/iot-ingest/iot.duckdb": str(db),
    }
    op = Operator(home, subs, env)
    url = f"http://127.0.0.1:{port}/api"
    try:
        _start_services(op, url)
        _deploy(op, url, config, db)
        # Commands that need no finished run go while the runs are in flight: the machine's cores,
        # not the runs' waits, are what the test's time is made of.
        runs = _start_runs(op)
        schedule_id = _refuse_and_pause(op)
        _check_runs(op, url, db, press, month, runs)
        # The hourly source leaves the configuration: --prune removes its deployment, and keeps the
        # paused schedule paused.
        config.write_text(config_text(press, crawl, dask_port, dfe=False), "utf-8")
        out = op.run(DEPLOY + " --prune")
        assert "removed\tingest/govuk-hourly" in out and "updated\tingest/trade-press" in out
        implied = {s.full_name for s in schedules(parse_config(config.read_text(), origin="test"))}
        assert set(deployments(url)) == implied
        (schedule,) = deployments(url)["ingest/trade-press"]["schedules"]
        assert schedule["id"] == schedule_id and schedule["active"] is False
        op.run(".venv/bin/prefect deployment schedule resume 'ingest/trade-press' SCHEDULE_ID", SCHEDULE_ID=schedule_id)
        (schedule,) = deployments(url)["ingest/trade-press"]["schedules"]
        assert schedule["active"] is True
    finally:
        op.stop()
    assert set(runbook()) == op.done, f"README commands no test ran: {set(runbook()) - op.done}"


def _start_services(op: Operator, url: str) -> None:
    op.start(".venv/bin/prefect server start --host 127.0.0.1 --port 4200", "server.log")
    op.export("export PREFECT_API_URL=http://127.0.0.1:4200/api")
    assert op.env["PREFECT_API_URL"] == url
    op.start(".venv/bin/dask scheduler --host 127.0.0.1 --port 8786 --no-dashboard", "dask-scheduler.log")
    op.start(".venv/bin/dask worker tcp://127.0.0.1:8786 --nthreads 2 --no-dashboard", "dask-worker.log")
    deadline = time.monotonic() + 240
    while True:
        try:
            if httpx.get(url + "/health", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, op.log("server.log")
        time.sleep(0.5)
    op.run(".venv/bin/prefect work-pool create iot-ingest --type process")
    op.start(".venv/bin/prefect worker start --pool iot-ingest", "worker.log")


def _deploy(op: Operator, url: str, config: Path, db: Path) -> None:
    out = op.run(DEPLOY)
    implied = schedules(parse_config(config.read_text(), origin="test"), db=str(db), config_path=str(config))
    assert "ingest/govuk-hourly" in {s.full_name for s in implied}
    assert {s.full_name for s in implied} == set(deployments(url))
    assert all(f"created\t{s.full_name}" in out for s in implied), out
    for item in implied:
        registered = deployments(url)[item.full_name]
        assert registered["parameters"] == item.parameters
        assert registered["parameters"]["config"] == str(config) and registered["parameters"]["db"] == str(db)
        assert registered["tags"] == [PROJECT_TAG] and registered["enforce_parameter_schema"] is True
        assert registered["work_pool_name"] == "iot-ingest" and registered["pull_steps"] in (None, [])
        crons = [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in registered["schedules"]]
        assert crons == ([(item.cron, TIMEZONE)] if item.cron else [])


BACKFILL = ".venv/bin/prefect deployment run 'backfill/adhoc' -p since=2019-04-01 -p until=2019-04-30 --watch"
SOME = (
    ".venv/bin/prefect deployment run 'backfill/adhoc' -p since=2019-04-01 -p until=2019-04-30 "
    """-p 'sources=["press-map","ccnews"]' --watch"""
)


@dataclass
class Runs:
    incremental: subprocess.Popen[str]
    backfill: subprocess.Popen[str]
    backwards: subprocess.Popen[str]


def _start_runs(op: Operator) -> Runs:
    runs = Runs(
        op.spawn(".venv/bin/prefect deployment run 'ingest/trade-press' --watch"),
        # Not the feed: a backfill's fetch of it would answer the incremental run's conditional GET.
        op.spawn(SOME),
        op.spawn(BACKFILL, **{"until=2019-04-30": "until=2019-03-01"}),
    )
    return runs


def _refuse_and_pause(op: Operator) -> str:
    """While the runs go: a day that is not one is refused when the run is created (so nothing
    reaches the worker; asked through the API `prefect deployment run` calls), and trade-press's
    schedule is paused."""
    deployment = deployments(op.env["PREFECT_API_URL"])["backfill/adhoc"]
    response = httpx.post(
        f"{op.env['PREFECT_API_URL']}/deployments/{deployment['id']}/create_flow_run",
        json={"parameters": {"since": "April", "until": "2019-04-30"}},
        timeout=30,
    )
    assert response.status_code == 409 and "Validation failed for field 'since'" in response.text, response.text
    return _pause(op)


def _pause(op: Operator) -> str:
    listed = op.run(".venv/bin/prefect deployment schedule ls 'ingest/trade-press'")
    found = UUID.search(listed)
    assert found, listed
    op.run(".venv/bin/prefect deployment schedule pause 'ingest/trade-press' SCHEDULE_ID", SCHEDULE_ID=found[0])
    return found[0]


def _check_runs(op: Operator, url: str, db: Path, press: FakeTradePress, month: FakeMonth, runs: Runs) -> None:
    _, failed_id = finished(runs.backwards, 1)
    _, incremental_id = finished(runs.incremental, 0)
    _, backfill_id = finished(runs.backfill, 0)
    logs, dask, summary, listed, rows, late = op.together(
        (".venv/bin/prefect flow-run logs RUN_ID", {"RUN_ID": failed_id}),
        (".venv/bin/prefect artifact inspect backfill-dask", {}),
        (".venv/bin/prefect artifact inspect backfill-summary", {}),
        (".venv/bin/prefect flow-run ls --limit 5", {}),
        (
            ".venv/bin/iot-ingest query --db /srv/iot-ingest/iot.duckdb "
            '"SELECT run_id, flow, status, counts FROM runs ORDER BY started_at DESC LIMIT 5"',
            {},
        ),
        (
            ".venv/bin/iot-ingest query --db /srv/iot-ingest/iot.duckdb "
            '"SELECT area, subject, status, last_at, detail FROM v_pipeline_health WHERE problem"',
            {},
        ),
    )

    state = api(url, "GET", f"/flow_runs/{failed_id}")["state"]
    assert state["type"] == "FAILED" and state["message"] == "until 2019-03-01 is before since 2019-04-01"
    assert "until 2019-03-01 is before since 2019-04-01" in logs
    assert "/flows/" not in logs and "/iot_ingest/" not in logs  # no frame of ours: no traceback of ours

    assert api(url, "GET", f"/flow_runs/{incremental_id}")["state"]["type"] == "COMPLETED"
    feed = {press.article_url(item) for item in press.newest_first()[:10]}
    loaded = feed & {u for (u,) in query(db, "SELECT url FROM article_urls")}
    # By run id: a scheduled run (govuk-hourly on the hour) may have come in between.
    sql = f"SELECT CAST(counts->>'$.articles_new' AS INTEGER) FROM runs WHERE run_id = '{incremental_id}'"
    ((new,),) = query(db, sql)
    assert new == len(loaded) > 0  # the feed's articles (off-topic titles are left out before fetching)

    assert api(url, "GET", f"/flow_runs/{backfill_id}")["state"]["type"] == "COMPLETED"
    april = [item for item in press.items if item.published_at.strftime("%Y-%m") == "2019-04"]
    urls = {u for (u,) in query(db, "SELECT url FROM article_urls")}
    assert april and {press.article_url(item) for item in april} <= urls
    assert month.on_topic_urls and set(month.on_topic_urls) <= urls
    # The crawl's two files were scanned on the Dask cluster, as the run records and Dask saw.
    assert "2 task(s) on the Dask cluster" in dask and "scan WARC file | 2" in dask
    assert op.log("dask-worker.log").count("Task run 'backfill ccnews ") >= 2

    assert "| press-map" in summary
    assert "Flow Runs" in listed
    assert f"{incremental_id},ingest,completed," in rows
    assert re.search(r"source,gone,stale,,never fetched successfully; expected every 06:00:00", late), late
    assert "press-map" not in late
