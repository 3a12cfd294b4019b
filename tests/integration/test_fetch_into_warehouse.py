"""`iot-ingest fetch` end to end: attempts in `fetches`, responses archived, 304s on the next run,
failures listed and retried later, never fatal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.digest import rows as _q
from tests.support.fault_server import FaultServer

pytestmark = pytest.mark.integration


@pytest.fixture
def config_file(tmp_path: Path, server: FaultServer) -> Path:
    path = tmp_path / "iot-ingest.toml"
    path.write_text(
        '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
        'allow_private_hosts = ["127.0.0.1"]\n\n'
        f'[[sources]]\nname = "local"\nkind = "feed"\nurl = "{server.url("/feed")}"\nrate_limit = 20.0\n'
    )
    return path


def test_fetch_records_everything_and_the_next_run_is_conditional(
    cli: Callable[..., Any], server: FaultServer, config_file: Path, tmp_path: Path
) -> None:
    db = tmp_path / "iot.duckdb"
    urls = [server.url("/etag/a"), server.url("/page/1"), server.url("/private/x"), server.url("/flaky/z?fail=1")]
    done = cli("fetch", "--config", config_file, "--db", db, *urls)
    assert done.code == 0, done.err
    assert "fetched: 3" in done.out and "refused: 1" in done.out
    statuses = _q(db, "SELECT url, status, skipped FROM fetches ORDER BY requested_at")
    assert (server.url("/robots.txt"), 200, None) in statuses
    assert any(url.endswith("/private/x") and skipped for url, _, skipped in statuses)
    assert [s for u, s, _ in statuses if u.endswith("/flaky/z?fail=1")] == [503, 200]
    assert _q(db, "SELECT count(*) FROM responses WHERE url LIKE '%/etag/a'") == [(1,)]
    assert _q(db, "SELECT count(*) FROM articles")[0][0] >= 3
    (run,) = _q(db, "SELECT flow, status, counts FROM runs")
    assert run[:2] == ("fetch", "completed")
    assert json.loads(run[2])["fetched"] == 3

    again = cli("fetch", "--config", config_file, "--db", db, server.url("/etag/a"))
    assert again.code == 0, again.err
    assert "not modified: 1" in again.out
    assert _q(db, "SELECT count(*) FROM responses WHERE url LIKE '%/etag/a'") == [(1,)]
    second = [r.headers for r in server.requests if r.path == "/etag/a"][-1]
    assert second.get("if-none-match") == '"v1"'


def test_failures_are_recorded_not_fatal_and_retried_next_run(
    cli: Callable[..., Any], server: FaultServer, config_file: Path, tmp_path: Path
) -> None:
    db = tmp_path / "iot.duckdb"
    flaky = server.url("/flaky/w?fail=4&code=500")
    done = cli("fetch", "--config", config_file, "--db", db, flaky, server.url("/page/2"))
    assert done.code == 0, done.err
    assert "failed: 1" in done.out and "fetched: 1" in done.out
    assert _q(db, "SELECT count(*) FROM fetches WHERE url = '" + flaky + "'") == [(4,)]
    # The next run retries what failed (the server recovers on the fifth request).
    retry = cli("fetch", "--config", config_file, "--db", db, "--retry-failed")
    assert retry.code == 0, retry.err
    assert "fetched: 1" in retry.out
    assert _q(db, "SELECT status FROM fetches WHERE url = '" + flaky + "' ORDER BY requested_at DESC LIMIT 1") == [
        (200,)
    ]
    nothing_left = cli("fetch", "--config", config_file, "--db", db, "--retry-failed")
    assert "nothing to do" in nothing_left.out


def test_fetch_refuses_what_is_not_a_url(cli: Callable[..., Any], tmp_path: Path) -> None:
    done = cli("fetch", "--db", tmp_path / "x.duckdb", "www.gov.uk/news")
    assert done.code == 2
    assert "not an http(s) URL" in done.err
    assert cli("fetch", "--db", tmp_path / "x.duckdb").code == 2
