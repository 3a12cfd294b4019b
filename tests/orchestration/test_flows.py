"""The Prefect flows over loopback fakes of GOV.UK and a trade-press site: the same warehouse as the
library without Prefect, a `runs` row and a Markdown artifact per run, resumable backfills, and
writers that queue rather than fail."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import duckdb
import pytest

from flows.backfill import backfill as backfill_flow
from flows.ingest import ingest
from flows.reprocess import reprocess
from iot_ingest.config import Config, parse_config
from iot_ingest.orchestrate import ingest as run_sources
from iot_ingest.warehouse import open_writer
from tests.support.fakes import FakeGovUk, FakeTradePress, Reply, sample_dataset

pytestmark = pytest.mark.integration


class FlakyGovUk(FakeGovUk):
    """GOV.UK whose Search API answers 503 for one month's window while `failing` is set."""

    failing: str | None = None

    def route(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        if self.failing and target.startswith("/api/search.json") and self.failing in unquote(target):
            return Reply(503, b"Service Unavailable", "text/plain")
        return super().route(method, target, headers)


@pytest.fixture
def sites() -> Iterator[tuple[FlakyGovUk, FakeTradePress]]:
    gov_items, press_items = sample_dataset()
    gov = FlakyGovUk(gov_items).start()
    press = FakeTradePress(press_items, feed_size=10).start()
    try:
        yield gov, press
    finally:
        gov.stop()
        press.stop()


def _config_text(gov: FakeGovUk, press: FakeTradePress) -> str:
    return (
        '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
        'allow_private_hosts = ["127.0.0.1"]\nmax_attempts = 2\n[warehouse]\nlock_timeout_s = 20\n'
        f'[[sources]]\nname = "govuk"\nkind = "govuk_search"\nbase_url = "{gov.base}"\nquery = ""\n'
        'filter_organisations = ["department-for-education"]\nrate_limit = 50.0\nmax_concurrency = 4\n'
        "lookback_days = 3660\n"
        f'[[sources]]\nname = "press"\nkind = "feed"\nurl = "{press.url("/feed/")}"\nrate_limit = 50.0\n'
    )


def _write_config(tmp_path: Path, gov: FakeGovUk, press: FakeTradePress) -> tuple[str, Config]:
    text = _config_text(gov, press)
    path = tmp_path / "iot-ingest.toml"
    path.write_text(text, "utf-8")
    return str(path), parse_config(text, origin=str(path))


def _q(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _artifact(key: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def latest() -> str:
        async with get_client() as client:
            found = await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
            return str(max(found, key=lambda a: a.created).data)

    return asyncio.run(latest())


# The same content whichever way it was loaded; run ids, times and the raw archive's file layout differ.
_RUN_SPECIFIC = {
    *("run_id", "fetch_id", "response_id", "content_response_id", "warc_file", "warc_offset", "warc_length"),
    *("requested_at", "fetched_at", "elapsed_ms", "recorded_at", "skipped_at", "first_seen_at", "last_seen_at"),
    *("started_at", "finished_at", "loaded_at"),
}


_LOADED = ("responses", "articles", "article_urls", "sightings", "announcements", "article_copies", "fetches")
_DERIVED = ("articles", "article_urls", "sightings", "announcements", "announcement_institutes", "article_copies")


def snapshot(db: Path, *, ignore: set[str], tables: tuple[str, ...] = _LOADED) -> dict[str, list[Any]]:
    """Every row of `tables` without the run-specific columns, in a stable order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = {}
        for table in tables:
            keep = [c for (c, *_) in con.execute(f"DESCRIBE {table}").fetchall() if c not in ignore]
            found[table] = con.execute(f"SELECT {', '.join(keep)} FROM {table} ORDER BY ALL").fetchall()
        return found
    finally:
        con.close()


def test_ingest_flow_loads_what_the_library_loads_and_leaves_a_run_and_an_artifact(
    sites: tuple[FlakyGovUk, FakeTradePress], tmp_path: Path
) -> None:
    gov, press = sites
    config_path, config = _write_config(tmp_path, gov, press)
    db = tmp_path / "flow.duckdb"
    per_source = ingest(db=str(db), config=config_path)

    assert set(per_source) == {"govuk", "press"}
    assert per_source["govuk"]["fetched"] > 0 and per_source["press"]["fetched"] > 0
    (run,) = _q(db, "SELECT run_id, flow, status, counts->>'$.articles_new' FROM runs")
    assert run[1:3] == ("ingest", "completed")
    assert int(run[3]) == per_source["govuk"]["articles_new"] + per_source["press"]["articles_new"] > 0

    markdown = _artifact("ingest-summary")
    assert f"`{run[0]}`" in markdown  # the runs row and the Prefect run share their id
    assert "| govuk |" in markdown and "| press |" in markdown
    announcements = _q(db, "SELECT count(*) FROM announcements")[0][0]
    assert f"## New announcements ({announcements})" in markdown
    assert announcements > 0

    plain = tmp_path / "library.duckdb"
    run_sources(plain, config)
    assert snapshot(db, ignore=_RUN_SPECIFIC) == snapshot(plain, ignore=_RUN_SPECIFIC)


def test_backfill_flow_resumes_only_the_window_that_failed(
    sites: tuple[FlakyGovUk, FakeTradePress], tmp_path: Path
) -> None:
    gov, press = sites
    config_path, _ = _write_config(tmp_path, gov, press)
    db = tmp_path / "iot.duckdb"
    gov.failing = "from:2019-04-01"
    first = backfill_flow(date(2019, 3, 1), date(2019, 5, 31), sources=["govuk"], db=str(db), config=config_path)
    assert first["govuk 2019-04-01..2019-04-30"]["windows_failed"] == 1
    assert first["govuk 2019-03-01..2019-03-31"]["windows_done"] == 1
    assert "Twelve" not in " ".join(t for (t,) in _q(db, "SELECT title FROM articles"))

    gov.failing = None
    gov.clear()
    second = backfill_flow(date(2019, 3, 1), date(2019, 5, 31), sources=["govuk"], db=str(db), config=config_path)
    assert second["govuk 2019-03-01..2019-03-31"] == {"windows_skipped": 1}
    assert second["govuk 2019-05-01..2019-05-31"] == {"windows_skipped": 1}
    assert second["govuk 2019-04-01..2019-04-30"]["windows_done"] == 1
    searched = {r.path for r in gov.requests if r.path.startswith("/api/search.json")}
    assert searched and all("2019-04-01" in unquote(p) or "to:" in unquote(p) for p in searched)
    assert _q(db, "SELECT count(*) FROM articles WHERE title ILIKE '%institutes of technology%'")[0][0] > 0
    statuses = _q(db, "SELECT status, count(*) FROM backfill_windows GROUP BY ALL ORDER BY 1")
    assert statuses == [("done", 4)]  # three months and GOV.UK's tail window


def test_reprocess_flow_rebuilds_the_same_warehouse(sites: tuple[FlakyGovUk, FakeTradePress], tmp_path: Path) -> None:
    gov, press = sites
    config_path, _ = _write_config(tmp_path, gov, press)
    db = tmp_path / "iot.duckdb"
    ingest(db=str(db), config=config_path)
    before = snapshot(db, ignore=_RUN_SPECIFIC, tables=_DERIVED)
    counts = reprocess(db=str(db), config=config_path)
    assert counts["reprocessed"] > 0
    assert snapshot(db, ignore=_RUN_SPECIFIC, tables=_DERIVED) == before
    assert "## New announcements (0)" in _artifact("reprocess-summary")


def test_reprocess_on_a_dask_local_cluster_gives_the_same_warehouse(
    sites: tuple[FlakyGovUk, FakeTradePress], tmp_path: Path
) -> None:
    from prefect_dask import DaskTaskRunner  # type: ignore[attr-defined]

    gov, press = sites
    config_path, _ = _write_config(tmp_path, gov, press)
    db = tmp_path / "iot.duckdb"
    ingest(db=str(db), config=config_path)
    reprocess(db=str(db), config=config_path)
    threaded = snapshot(db, ignore=_RUN_SPECIFIC, tables=_DERIVED)
    # Threads, not processes: worker processes would each start a Prefect server of their own.
    runner = DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": False, "dashboard_address": None},
    )
    counts = reprocess.with_options(task_runner=runner)(db=str(db), config=config_path)
    assert counts["reprocessed"] > 0
    assert snapshot(db, ignore=_RUN_SPECIFIC, tables=_DERIVED) == threaded


def test_a_run_that_overlaps_another_writer_waits_for_it_then_completes(
    sites: tuple[FlakyGovUk, FakeTradePress], tmp_path: Path
) -> None:
    gov, press = sites
    config_path, config = _write_config(tmp_path, gov, press)
    db = tmp_path / "iot.duckdb"
    ingest(db=str(db), config=config_path, sources=["press"])
    holding = threading.Event()
    released_at: list[float] = []

    def backfill_like_writer() -> None:
        with open_writer(db, config):
            holding.set()
            time.sleep(3)
            released_at.append(time.monotonic())

    other = threading.Thread(target=backfill_like_writer)
    other.start()
    assert holding.wait(10)
    per_source = ingest(db=str(db), config=config_path, sources=["govuk"])
    finished = time.monotonic()
    other.join()
    assert finished >= released_at[0]
    assert per_source["govuk"]["sources_done"] == 1
    assert [s for (s,) in _q(db, "SELECT status FROM runs ORDER BY started_at")] == ["completed", "completed"]


def test_a_failed_run_leaves_its_summary_too(
    sites: tuple[FlakyGovUk, FakeTradePress], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iot_ingest.kinds import pages
    from iot_ingest.orchestrate import prefect_flows

    monkeypatch.setattr(prefect_flows, "UNIT_RETRIES", 0)
    gov, press = sites
    config_path, _ = _write_config(tmp_path, gov, press)
    db = tmp_path / "iot.duckdb"
    ingest(db=str(db), config=config_path, sources=["press"])
    real = pages.PageSourceJob.work

    def disk_full_on_govuk(job: pages.PageSourceJob) -> Any:
        if job.source == "govuk":
            raise RuntimeError("the disk is full")
        return real(job)

    monkeypatch.setattr(pages.PageSourceJob, "work", disk_full_on_govuk)
    with pytest.raises(RuntimeError, match="the disk is full"):
        ingest(db=str(db), config=config_path, sources=["press", "govuk"])
    markdown = _artifact("ingest-summary")
    assert markdown.startswith("# ingest run `") and "`: failed" in markdown.splitlines()[0]
    assert "| press |" in markdown  # the unit done before the failure is in the summary
    assert [s for (s,) in _q(db, "SELECT status FROM runs ORDER BY started_at")] == ["completed", "failed"]
