"""Backfilling a month of CC-NEWS from the loopback fake of the Common Crawl host: every planted
on-topic UK article loaded and nothing else, each WARC file a unit that a re-run never reads again
once done, a failed file retried alone, and a backfill killed mid-file resumed to the warehouse of
an uninterrupted one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from iot_ingest.config import Config, parse_config
from tests.conftest import CLI
from tests.support.ccnews_fake import CCNewsHost, FakeMonth, build_month
from tests.support.crash import IMPORT_EXCLUDED, completed, run_and_kill, table_digests
from tests.support.runs import backfill_counts as backfill

pytestmark = pytest.mark.integration

APRIL = (date(2019, 4, 1), date(2019, 4, 30))
# Two correct loads differ in which run wrote what and when; a killed run also made requests of
# its own (the file list again, the file it was reading), so fetches compare as sets of URLs.
EXCLUDED = {
    **IMPORT_EXCLUDED,
    "ccnews_files": frozenset({"started_at", "finished_at"}),
    "backfill_windows": frozenset({"started_at", "finished_at"}),
    "fetches": frozenset({"fetch_id", "requested_at", "elapsed_ms", "status", "error", "bytes", "skipped"}),
}


@pytest.fixture(scope="module")
def month() -> FakeMonth:
    return build_month(2019, 4, files=3, records_per_file=300)


@pytest.fixture
def host(month: FakeMonth) -> Iterator[CCNewsHost]:
    with CCNewsHost(month) as served:
        yield served


def _config_text(host: CCNewsHost) -> str:
    return (
        '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
        'allow_private_hosts = ["127.0.0.1"]\nmax_attempts = 2\n'
        f'[[sources]]\nname = "ccnews"\nkind = "ccnews"\nbase_url = "{host.base}"\n'
        'host_suffixes = [".uk"]\nrate_limit = 50.0\n'
    )


def _config(host: CCNewsHost) -> Config:
    return parse_config(_config_text(host), origin="test")


def _rows(db: Path, query: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def _file_requests(host: CCNewsHost) -> list[str]:
    return [path for path, _ in host.requests if path.endswith(".warc.gz")]


def test_a_month_loads_every_planted_article_and_nothing_else(
    host: CCNewsHost, month: FakeMonth, tmp_path: Path
) -> None:
    db = tmp_path / "iot.duckdb"
    counts = backfill(db, _config(host), *APRIL)
    addresses = {u for (u,) in _rows(db, "SELECT url FROM article_urls")}
    assert set(month.on_topic_urls) <= addresses
    loaded = _rows(db, "SELECT a.url, a.is_relevant FROM articles a")
    assert loaded and all(relevant for _, relevant in loaded)
    planted = {u.split("?")[0] for u in month.on_topic_urls}
    assert {url for url, _ in loaded} <= planted  # copies at ?copy=N are one article with their original
    for url in month.hard_negative_urls + month.off_host_urls:
        assert url not in addresses
    files = _rows(db, "SELECT path, status, records, prefiltered, extracted, relevant FROM ccnews_files ORDER BY 1")
    assert [(p, s) for p, s, *_ in files] == [(p, "done") for p in month.files]
    assert sum(f[2] for f in files) == month.records == counts["records_read"]
    assert sum(f[5] for f in files) == len(month.on_topic_urls) == counts["records_relevant"]
    assert counts["records_prefiltered"] > 0.95 * month.records
    # Every archived CC-NEWS record says where it came from.
    assert _rows(
        db,
        "SELECT count(*) FROM responses r LEFT JOIN ccnews_records c USING (response_id) "
        "WHERE r.role = 'page' AND c.path IS NULL",
    ) == [(0,)]
    pages = _rows(db, "SELECT count(*) FROM responses WHERE role = 'page'")[0][0]
    assert pages == _rows(db, "SELECT count(*) FROM ccnews_records")[0][0] >= len(month.on_topic_urls)
    assert _rows(db, "SELECT status FROM backfill_windows") == [("done",)]
    assert _rows(db, "SELECT count(*) FROM ingest_errors WHERE stage = 'read'")[0][0] == counts["records_broken"] > 0


def test_a_rerun_reads_no_done_file_and_force_reads_them_all_to_the_same_warehouse(
    host: CCNewsHost, month: FakeMonth, tmp_path: Path
) -> None:
    db = tmp_path / "iot.duckdb"
    config = _config(host)
    backfill(db, config, *APRIL)
    # A forced run fetches the month's file list again: a new discovery response, not a page.
    pages = {"responses": "role = 'page'"}
    before = table_digests(db, EXCLUDED, where=pages)
    host.requests.clear()
    again = backfill(db, config, *APRIL)
    assert again["windows_skipped"] == 1 and not _file_requests(host)
    forced = backfill(db, config, *APRIL, force=True)
    assert sorted(_file_requests(host)) == sorted(month.files)
    assert forced["files_done"] == len(month.files) and forced["articles_new"] == 0
    after = table_digests(
        db,
        {**EXCLUDED, "skipped_items": frozenset({"run_id", "skipped_at"})},
        distinct=frozenset({"skipped_items", "fetches"}),
        where=pages,
    )
    assert {k: v for k, v in after.items() if k not in {"skipped_items", "fetches"}} == {
        k: v for k, v in before.items() if k not in {"skipped_items", "fetches"}
    }


def test_a_file_that_fails_is_recorded_and_retried_alone(host: CCNewsHost, month: FakeMonth, tmp_path: Path) -> None:
    db = tmp_path / "iot.duckdb"
    config = _config(host)
    missing = list(month.files)[1]
    host.gone.add(missing)
    first = backfill(db, config, *APRIL)
    host.gone.clear()
    assert first["files_failed"] == 1 and first["files_done"] == 2
    assert _rows(db, f"SELECT status, reason LIKE '%HTTP 404%' FROM ccnews_files WHERE path = '{missing}'") == [
        ("failed", True)
    ]
    assert _rows(db, "SELECT status, reason FROM backfill_windows") == [
        ("failed", "1 of 3 WARC files failed (see ccnews_files)")
    ]
    host.requests.clear()
    second = backfill(db, config, *APRIL)
    assert _file_requests(host) == [missing]
    assert second["files_done"] == 1 and second["windows_done"] == 1
    assert _rows(db, "SELECT DISTINCT status FROM ccnews_files") == [("done",)]


def test_a_backfill_killed_mid_file_resumes_to_the_uninterrupted_warehouse(
    host: CCNewsHost, month: FakeMonth, tmp_path: Path
) -> None:
    config_path = tmp_path / "iot-ingest.toml"
    config_path.write_text(_config_text(host), "utf-8")
    env = {"IOT_INGEST_NO_PREFECT": "1"}

    def argv(db: Path) -> list[str | Path]:
        return [CLI, "backfill", "--db", db, "--config", config_path, "--since", "2019-04-01", "--until", "2019-04-30"]

    whole = tmp_path / "whole" / "iot.duckdb"
    whole.parent.mkdir()
    completed(argv(whole), cwd=tmp_path, env=env)

    killed = tmp_path / "killed" / "iot.duckdb"
    killed.parent.mkdir()
    second = list(month.files)[1]
    host.stall[second] = len(month.files[second]) // 2
    host.requests.clear()
    reading_since: list[float] = []

    def mid_second_file() -> bool:
        if second in _file_requests(host) and not reading_since:
            reading_since.append(time.monotonic())
        return bool(reading_since) and time.monotonic() - reading_since[0] > 0.5

    outcome = run_and_kill(argv(killed), mid_second_file, db=killed, cwd=tmp_path, env=env)
    del host.stall[second]
    assert outcome.killed, outcome.stderr
    assert _rows(killed, "SELECT status, count(*) FROM ccnews_files GROUP BY ALL ORDER BY 1") == [
        ("done", 1),
        ("pending", 2),
    ]
    completed(argv(killed), cwd=tmp_path, env=env)
    # The re-run fetched the month's list (and robots.txt) again: discovery responses, not pages.
    same = {"distinct": frozenset({"fetches"}), "where": {"responses": "role = 'page'"}}
    assert table_digests(killed, EXCLUDED, **same) == table_digests(whole, EXCLUDED, **same)  # type: ignore[arg-type]
