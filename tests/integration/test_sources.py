"""Sources against loopback fakes that behave like GOV.UK, a WordPress news site and the Wayback
Machine: backfills find every in-range item and nothing else, resume, and incremental runs fetch
only what is new."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from iot_ingest.config import Config, parse_config
from iot_ingest.orchestrate import backfill, ingest
from iot_ingest.sources import Discovered
from tests.support.digest import rows as _q
from tests.support.fakes import FakeGovUk, FakeTradePress, FakeWayback, GovItem, PressItem, Snapshot, sample_dataset
from tests.support.topics import off_topic

pytestmark = pytest.mark.integration

SINCE, UNTIL = date(2017, 1, 1), date(2022, 12, 31)
START, END = datetime(2017, 1, 1, tzinfo=UTC), datetime(2023, 1, 1, tzinfo=UTC)


def _gov_items() -> list[GovItem]:
    items, _ = sample_dataset()
    template = next(
        i for i in items if "institutes-of-technology" in i.base_path and "department-for-education" in i.organisations
    )
    # Published inside the range, last updated after it: only the tail window can find it.
    late = dataclasses.replace(
        template,
        base_path="/government/news/institutes-of-technology-guidance-refreshed",
        title="Institutes of Technology: guidance for colleges refreshed",
        first_published_at=datetime(2022, 6, 1, 9, 30, tzinfo=UTC),
        public_timestamp=datetime(2023, 5, 2, 10, 0, tzinfo=UTC),
        content_api_fails=False,
        # Its own text: the same text at another path of the site would be the same article.
        body_html="<p>The Department for Education has refreshed its guidance for colleges and universities "
        "that lead Institutes of Technology, covering employer boards and higher technical courses.</p>"
        "<p>The guidance applies to all 21 Institutes of Technology in England.</p>",
    )
    return [*items, late]


@pytest.fixture
def govuk() -> Iterator[FakeGovUk]:
    fake = FakeGovUk(_gov_items(), public_base=None).start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def press() -> Iterator[FakeTradePress]:
    _, items = sample_dataset()
    fake = FakeTradePress(items, feed_size=10, listing_page_size=5, sitemap_chunk=15, gzip_sitemaps=True).start()
    try:
        yield fake
    finally:
        fake.stop()


def _config(*sources: str) -> Config:
    return parse_config(
        '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
        'allow_private_hosts = ["127.0.0.1"]\nmax_attempts = 2\n[warehouse]\nlock_timeout_s = 5\n' + "\n".join(sources),
        origin="test",
    )


def _govuk_source(fake: FakeGovUk) -> str:
    return (
        f'[[sources]]\nname = "govuk"\nkind = "govuk_search"\nbase_url = "{fake.base}"\nquery = ""\n'
        'filter_organisations = ["department-for-education"]\nrate_limit = 50.0\nmax_concurrency = 4\n'
        "window_max_results = 40\n"
    )


def _expected_govuk(fake: FakeGovUk) -> set[str]:
    return {
        fake.url(i.base_path)
        for i in fake.items
        if START <= i.first_published_at < END
        and "department-for-education" in i.organisations
        and off_topic(Discovered(url="x", title=i.title, summary=i.description)) is None
    }


def test_govuk_backfill_finds_every_in_range_item_and_nothing_outside(govuk: FakeGovUk, tmp_path: Path) -> None:
    db = tmp_path / "iot.duckdb"
    counts = backfill(db, _config(_govuk_source(govuk)), SINCE, UNTIL)
    assert counts.total.units.windows_failed == 0
    loaded = {url for (url,) in _q(db, "SELECT url FROM articles")}
    assert loaded == _expected_govuk(govuk)
    # Publication dates come from the Content API, never from the search's public_timestamp.
    late = govuk.url("/government/news/institutes-of-technology-guidance-refreshed")
    assert _q(db, "SELECT published_at FROM articles WHERE url = ?", [late]) == [
        (datetime(2022, 6, 1, 9, 30, tzinfo=UTC),)
    ]
    # Only parameters the Search API knows were sent: it never answered 422.
    assert _q(db, "SELECT count(*) FROM fetches WHERE status = 422") == [(0,)]
    # An item whose Content API fails was loaded from its HTML page.
    failing = next(i for i in govuk.items if i.content_api_fails and START <= i.first_published_at < END)
    assert govuk.url(failing.base_path) in loaded
    # Discovery responses are archived, not loaded as articles.
    assert _q(db, "SELECT count(*) FROM responses WHERE url LIKE '%/api/search.json%'")[0][0] >= 72


def test_a_window_with_too_many_results_is_split(govuk: FakeGovUk, tmp_path: Path) -> None:
    db = tmp_path / "iot.duckdb"
    # A first incremental run looking back ten years is one window of 60 results: more than 10.
    source = (
        _govuk_source(govuk).replace("window_max_results = 40", "window_max_results = 10") + "lookback_days = 3660\n"
    )
    ingest(db, _config(source))
    windows = {parse_qs(urlsplit(r.path).query).get("filter_public_timestamp", [""])[0] for r in govuk.requests}
    windows.discard("")
    assert len(windows) > 8, "the ten-year window was searched in halves, and those halves in halves"
    since = datetime.now(UTC) - timedelta(days=3661)
    wanted = {
        govuk.url(i.base_path)
        for i in govuk.items
        if i.public_timestamp >= since
        and "department-for-education" in i.organisations
        and off_topic(Discovered(url="x", title=i.title, summary=i.description)) is None
    }
    assert {url for (url,) in _q(db, "SELECT url FROM articles")} == wanted


def test_a_rerun_skips_done_windows_and_force_refetches(govuk: FakeGovUk, tmp_path: Path) -> None:
    db = tmp_path / "iot.duckdb"
    config = _config(_govuk_source(govuk))
    backfill(db, config, date(2019, 1, 1), date(2019, 12, 31))
    searches = govuk.count("/api/search.json")
    again = backfill(db, config, date(2019, 1, 1), date(2019, 12, 31))
    assert again.total.units.windows_skipped == 13  # twelve months and the tail window up to today
    assert govuk.count("/api/search.json") == searches, "no window searched again"
    forced = backfill(db, config, date(2019, 1, 1), date(2019, 12, 31), force=True)
    assert forced.total.units.windows_done == 13


def test_a_killed_backfill_resumes_without_refetching_done_windows(govuk: FakeGovUk, tmp_path: Path) -> None:
    db = tmp_path / "iot.duckdb"
    http = (
        '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\nallow_private_hosts = ["127.0.0.1"]\n'
    )
    # The killed run is paced slowly so that the kill lands part-way; the resumed one at the fakes'
    # usual pace (politeness does not change which windows are done).
    slow_config, config_file = tmp_path / "slow.toml", tmp_path / "iot-ingest.toml"
    slow_config.write_text(http + _govuk_source(govuk).replace("rate_limit = 50.0", "rate_limit = 8.0"))
    config_file.write_text(http + _govuk_source(govuk))
    cli = Path(sys.executable).parent / "iot-ingest"
    # Three years of monthly windows (both waves): enough windows for the kill to land part-way.
    since, until = date(2019, 1, 1), date(2021, 12, 31)
    args = [str(cli), "backfill", "--since", str(since), "--until", str(until), "--db", str(db), "--config"]
    # The library's own resumability, without Prefect: a SIGKILL would orphan Prefect's temporary server.
    env = {**os.environ, "IOT_INGEST_NO_PREFECT": "1"}
    killed = [*args, str(slow_config)]
    args = [*args, str(config_file)]
    with subprocess.Popen(killed, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env) as proc:
        deadline = time.monotonic() + 60
        while govuk.count("/api/search.json") < 15 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    seen_before = len(govuk.requests)
    resumed = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert resumed.returncode == 0, resumed.stderr
    done = _q(db, "SELECT count(*) FROM backfill_windows WHERE status = 'done'")[0][0]
    assert done == 37  # 36 months and the open tail
    (skipped,) = [int(part.split(": ")[1]) for part in resumed.stdout.split(", ") if part.startswith("windows skipped")]
    assert skipped >= 1, "windows finished before the kill were not redone"
    searched_after = [r.path for r in govuk.requests[seen_before:] if r.path.startswith("/api/search.json")]
    assert len(searched_after) == 37 - skipped, "each window not done is searched once, and no other"
    # And the result is what an uninterrupted backfill gives.
    clean = tmp_path / "clean.duckdb"
    backfill(clean, _config(_govuk_source(govuk)), since, until)
    assert {u for (u,) in _q(db, "SELECT url FROM articles")} == {u for (u,) in _q(clean, "SELECT url FROM articles")}


def test_one_failing_window_does_not_lose_the_others(
    govuk: FakeGovUk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iot_ingest.sources import govuk_search

    real_page = govuk_search.GovukSearch._page

    async def failing_in_april(self: Any, ctx: Any, window: Any, start: int) -> Any:
        if window.since == date(2019, 4, 1):
            raise govuk_search.DiscoveryFailed("GOV.UK Search API: HTTP 503")
        return await real_page(self, ctx, window, start)

    monkeypatch.setattr(govuk_search.GovukSearch, "_page", failing_in_april)
    db = tmp_path / "iot.duckdb"
    counts = backfill(db, _config(_govuk_source(govuk)), date(2019, 3, 1), date(2019, 4, 30))
    assert counts.total.units.windows_failed == 1
    rows = _q(db, "SELECT since, status, reason FROM backfill_windows ORDER BY since")
    assert rows[0][:2] == (date(2019, 3, 1), "done")
    assert rows[1][:2] == (date(2019, 4, 1), "failed")
    assert "503" in rows[1][2]
    # The next run retries only the failed window (and the open tail).
    monkeypatch.setattr(govuk_search.GovukSearch, "_page", real_page)
    again = backfill(db, _config(_govuk_source(govuk)), date(2019, 3, 1), date(2019, 4, 30))
    assert again.total.units.windows_skipped == 2  # March and the tail window
    assert again.total.units.windows_done == 1
    assert _q(db, "SELECT count(*) FROM backfill_windows WHERE status = 'done'") == [(3,)]


def test_trade_press_feed_incremental_runs_fetch_only_what_is_new(press: FakeTradePress, tmp_path: Path) -> None:
    db = tmp_path / "iot.duckdb"
    config = _config(f'[[sources]]\nname = "press"\nkind = "feed"\nurl = "{press.url("/feed/")}"\nrate_limit = 50.0\n')
    ingest(db, config)
    first_pages = [r.path for r in press.requests if r.path.count("/") >= 5]
    assert first_pages, "the feed's items were fetched"
    assert len(set(first_pages)) == len(first_pages)
    press.clear()
    second = ingest(db, config)
    assert second.total.fetch.not_modified >= 1 or second.total.discovery.discovered == 0
    assert [r.path for r in press.requests if r.path.count("/") >= 5] == [], "nothing new: no page refetched"
    newest = max(press.items, key=lambda i: i.published_at)
    fresh = PressItem(
        slug="new-institute-of-technology-building-opens",
        title="New Institute of Technology building opens to learners",
        published_at=datetime(2024, 12, 1, 9, 0, tzinfo=UTC),
        body_html="<p>The college's Institute of Technology building opened to its first learners.</p>",
        summary="An Institute of Technology opens.",
    )
    assert fresh.published_at > newest.published_at
    press.items.append(fresh)
    press.clear()
    third = ingest(db, config)
    pages = [r.path for r in press.requests if r.path.count("/") >= 5]
    assert pages == [press.article_path(fresh)]
    assert third.total.fetch.fetched >= 1


def test_trade_press_sitemap_and_listing_backfills_stay_in_range(press: FakeTradePress, tmp_path: Path) -> None:
    since, until = date(2019, 1, 1), date(2021, 12, 31)
    lo, hi = datetime(2019, 1, 1, tzinfo=UTC), datetime(2022, 1, 1, tzinfo=UTC)
    # What the pre-filter sees differs: a sitemap gives the title, a listing the title and a summary.
    for name, source, with_summary in (
        (
            "sitemap",
            f'kind = "sitemap"\nurl = "{press.url("/sitemap_index.xml")}"\nurl_pattern = "/20\\\\d\\\\d/"',
            False,
        ),
        ("listing", f'kind = "listing"\nurl = "{press.url("/news/")}"\nmax_pages = 50', True),
    ):
        expected = {
            press.article_url(i)
            for i in press.items
            if lo <= i.published_at < hi
            and off_topic(Discovered(url="x", title=i.title, summary=i.summary if with_summary else None)) is None
        }
        db = tmp_path / f"{name}.duckdb"
        config = _config(f'[[sources]]\nname = "{name}"\n{source}\nrate_limit = 50.0\n')
        counts = backfill(db, config, since, until)
        assert counts.total.units.windows_failed == 0, name
        loaded = {u for (u,) in _q(db, "SELECT url FROM articles")}
        canon = {u.rstrip("/") for u in expected}
        assert {u.rstrip("/") for u in loaded} == canon, name


def test_a_text_sitemap_served_as_text_plain_is_read_into_the_warehouse(press: FakeTradePress, tmp_path: Path) -> None:
    db = tmp_path / "iot.duckdb"
    sitemap = press.url("/sitemap.txt")
    config = _config(f'[[sources]]\nname = "text"\nkind = "sitemap"\nurl = "{sitemap}"\nrate_limit = 50.0\n')
    counts = ingest(db, config)
    assert counts.total.units.sources_failed == 0
    served = [r for r in press.requests if r.path == "/sitemap.txt"]
    assert len(served) == 1
    # Fetched, archived as a discovery page (not an article), and every URL on it loaded.
    assert _q(db, "SELECT status, error FROM fetches WHERE url = ?", [sitemap]) == [(200, None)]
    assert _q(db, "SELECT count(*) FROM articles WHERE url = ?", [sitemap]) == [(0,)]
    loaded = {u.rstrip("/") for (u,) in _q(db, "SELECT url FROM articles")}
    assert loaded == {press.article_url(i).rstrip("/") for i in press.items}


def test_wayback_snapshots_are_archived_under_the_original_url_and_capture_time(tmp_path: Path) -> None:
    page = (
        b"<html><head><title>Twelve Institutes of Technology</title></head><body><article>"
        b"<h1>Twelve Institutes of Technology announced</h1><p>Colleges and universities will lead twelve "
        b"Institutes of Technology, backed by \xc2\xa3170 million, the Department for Education said.</p>"
        b"</article></body></html>"
    )
    original = "https://www.educationbusiness.example/news/10042019/twelve-iots"
    fake = FakeWayback([Snapshot(original, "20190410120000", page), Snapshot(original, "20200101000000", page)]).start()
    try:
        db = tmp_path / "iot.duckdb"
        config = _config(
            f'[[sources]]\nname = "eb"\nkind = "wayback"\nbase_url = "{fake.base}"\n'
            'url_prefix = "educationbusiness.example/news/*"\nrate_limit = 50.0\n'
        )
        backfill(db, config, date(2019, 4, 1), date(2019, 4, 30))
        rows = _q(db, "SELECT url, fetched_at FROM responses WHERE url = ?", [original])
        assert rows == [(original, datetime(2019, 4, 10, 12, 0, tzinfo=UTC))]
        assert fake.count("/web/20190410120000id_/") == 1
        assert fake.count("/web/20200101000000") == 0  # outside the window
        assert _q(db, "SELECT count(*) FROM articles WHERE url = ?", [original.rstrip("/")]) == [(1,)]
    finally:
        fake.stop()


def test_govuk_pages_through_results_and_a_second_run_fetches_nothing_old(
    govuk: FakeGovUk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iot_ingest.sources import govuk_search

    monkeypatch.setattr(govuk_search, "_PAGE_SIZE", 7)
    db = tmp_path / "iot.duckdb"
    source = _govuk_source(govuk).replace("window_max_results = 40", "window_max_results = 1000")
    config = _config(source + "lookback_days = 3660\n")
    ingest(db, config)
    starts = sorted(
        int(parse_qs(urlsplit(r.path).query)["start"][0]) for r in govuk.requests if "/api/search.json" in r.path
    )
    assert len(starts) >= 5
    assert starts == list(range(0, 7 * len(starts), 7)), "consecutive pages to the end, each once"
    failing = [i for i in govuk.items if i.content_api_fails]

    def content_fetches() -> int:
        # Content API URLs that failed are retried by every run until they work: leave them out.
        return govuk.count("/api/content/") - sum(govuk.count(f"/api/content{i.base_path}") for i in failing)

    first = content_fetches()
    assert first > 20
    second = ingest(db, config)
    assert content_fetches() == first, "nothing old fetched again"
    assert second.total.discovery.unchanged >= 1  # the overlap day is rediscovered and skipped as unchanged
    # A new item published after the first run is found and fetched by the next.
    fresh = GovItem(
        base_path="/government/news/new-institute-of-technology-opens-in-the-north-east",
        title="New Institute of Technology opens in the North East",
        description="Learners start higher technical courses at a new Institute of Technology.",
        first_published_at=datetime.now(UTC) - timedelta(minutes=5),
        public_timestamp=datetime.now(UTC) - timedelta(minutes=5),
        organisations=["department-for-education"],
        body_html="<p>A new Institute of Technology has opened its doors to learners in the North East.</p>",
    )
    govuk.items.append(fresh)
    ingest(db, config)
    assert content_fetches() == first + 1
    assert _q(db, "SELECT count(*) FROM articles WHERE url = ?", [govuk.url(fresh.base_path)]) == [(1,)]


def test_a_422_from_the_search_api_is_surfaced_with_its_message(
    govuk: FakeGovUk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iot_ingest.sources import govuk_search

    # As if a release of ours asked for a field the API does not have.
    monkeypatch.setattr(govuk_search, "_FIELDS", "title,link,no_such_field")
    db = tmp_path / "iot.duckdb"
    counts = backfill(db, _config(_govuk_source(govuk)), date(2019, 4, 1), date(2019, 4, 30))
    assert counts.total.units.windows_failed == 2
    ((reason,),) = _q(db, "SELECT DISTINCT reason FROM backfill_windows")
    assert reason.startswith("GOV.UK Search API refused the query: ")
    assert "no_such_field" in reason


def test_a_feed_backfill_reads_the_feed_in_full_for_every_window(tmp_path: Path) -> None:
    # The feed sends an ETag: a second window must not get a 304 and find nothing.
    _, items = sample_dataset()
    fake = FakeTradePress(items, feed_size=len(items)).start()
    try:
        db = tmp_path / "iot.duckdb"
        config = _config(
            f'[[sources]]\nname = "press"\nkind = "feed"\nurl = "{fake.url("/feed/")}"\nrate_limit = 50.0\n'
        )
        counts = backfill(db, config, date(2019, 1, 1), date(2021, 12, 31))
        assert counts.total.units.windows_failed == 0
        lo, hi = datetime(2019, 1, 1, tzinfo=UTC), datetime(2022, 1, 1, tzinfo=UTC)
        expected = {
            fake.article_url(i).rstrip("/")
            for i in items
            if lo <= i.published_at < hi and off_topic(Discovered(url="x", title=i.title, summary=i.summary)) is None
        }
        assert expected
        assert {u.rstrip("/") for (u,) in _q(db, "SELECT url FROM articles")} == expected
        assert not [r for r in fake.requests if r.path == "/feed/" and "if-none-match" in r.headers]
    finally:
        fake.stop()


def test_a_source_that_fails_half_way_keeps_no_validators_and_the_next_run_finds_everything(
    press: FakeTradePress, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iot_ingest.sources import sitemap

    real_read = sitemap.Sitemap._read
    calls = {"n": 0}

    async def second_child_fails_once(self: Any, ctx: Any, url: str) -> Any:
        if "post-sitemap2" in url and calls["n"] == 0:
            calls["n"] += 1
            raise sitemap.DiscoveryFailed(f"sitemap {url}: HTTP 503")
        return await real_read(self, ctx, url)

    monkeypatch.setattr(sitemap.Sitemap, "_read", second_child_fails_once)
    db = tmp_path / "iot.duckdb"
    source = f'[[sources]]\nname = "map"\nkind = "sitemap"\nurl = "{press.url("/sitemap_index.xml")}"\n'
    config = _config(source + "rate_limit = 50.0\nlookback_days = 3660\n")
    first = ingest(db, config)
    assert first.total.units.sources_failed == 1
    assert _q(db, "SELECT count(*) FROM http_validators WHERE url LIKE '%sitemap%'") == [(0,)]
    second = ingest(db, config)
    assert second.total.units.sources_done == 1
    wanted = {
        press.article_url(i).rstrip("/")
        for i in press.items
        if i.published_at >= datetime.now(UTC) - timedelta(days=3661)
        and off_topic(Discovered(url="x", title=i.title)) is None
    }
    assert {u.rstrip("/") for (u,) in _q(db, "SELECT url FROM articles")} == wanted


def test_a_page_met_outside_one_backfill_is_loaded_by_the_backfill_of_its_own_range(
    govuk: FakeGovUk, tmp_path: Path
) -> None:
    db = tmp_path / "iot.duckdb"
    config = _config(_govuk_source(govuk))
    backfill(db, config, date(2019, 1, 1), date(2019, 12, 31))  # its tail window meets 2021's items
    backfill(db, config, date(2021, 1, 1), date(2021, 12, 31))
    clean = tmp_path / "clean.duckdb"
    backfill(clean, config, date(2021, 1, 1), date(2021, 12, 31))
    in_2021 = "SELECT url FROM articles WHERE year(published_at) = 2021"
    assert set(_q(db, in_2021)) == set(_q(clean, in_2021)) != set()


def test_reprocess_after_a_listing_backfill_reads_no_discovery_page_as_an_article(
    press: FakeTradePress, tmp_path: Path
) -> None:
    from iot_ingest.ingest.reprocess import reprocess

    db = tmp_path / "iot.duckdb"
    config = _config(
        f'[[sources]]\nname = "listing"\nkind = "listing"\nurl = "{press.url("/news/")}"\nrate_limit = 50.0\n'
    )
    backfill(db, config, date(2021, 1, 1), date(2021, 12, 31))
    before = set(_q(db, "SELECT url FROM articles"))
    assert before
    assert _q(db, "SELECT count(*) FROM responses WHERE role = 'discovery' AND url LIKE '%/news/%'")[0][0] >= 1
    reprocess(db, config)
    after = set(_q(db, "SELECT url FROM articles"))
    assert not {u for (u,) in after if "/news/" in u}, "listing pages are not articles"
    assert before <= after
