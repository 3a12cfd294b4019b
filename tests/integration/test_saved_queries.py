"""Every saved query in warehouse/queries/ runs on the demo warehouse through the console script,
and the ones with answers a person can check give those answers."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from iot_ingest.warehouse.sql_files import sql
from tests.support.cli_runner import in_process
from tests.support.demo_warehouse import (
    FIRST_WAVE,
    copy_of,
    demo_warehouse_fixture,
    empty_warehouse,
    execute,
    insert_fetches,
    name_institutes,
    query,
)

pytestmark = pytest.mark.integration

QUERIES = Path(__file__).resolve().parents[2] / "warehouse" / "queries"


demo_db = demo_warehouse_fixture()


def saved(name: str, db: Path) -> list[dict[str, Any]]:
    done = in_process(
        ["query", "--db", db, "--format", "json", "--file", QUERIES / f"{name}.sql"],
        env={"IOT_INGEST_LOCK_TIMEOUT": "5"},
    )
    assert done.code == 0, f"{name}: {done.err}"
    rows: list[dict[str, Any]] = json.loads(done.out)
    return rows


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.sql")), ids=lambda p: p.stem)
def test_every_saved_query_runs_on_the_demo_warehouse(path: Path, demo_db: Path) -> None:
    text = path.read_text("utf-8")
    assert text.startswith("-- "), f"{path.name} opens with a comment saying what question it answers"
    assert f"iot-ingest query --file warehouse/queries/{path.name}" in text, f"{path.name} says how to run it"
    assert isinstance(saved(path.stem, demo_db), list)


def test_outlets_that_republished_the_10_april_2019_release(demo_db: Path) -> None:
    rows = saved("republished_10_april_2019", demo_db)
    assert [(r["outlet"], r["relation"]) for r in rows] == [
        ("The LEP Network", "trimmed copy"),
        ("FE News", "verbatim copy"),
        ("PES Media", "verbatim copy"),
        ("Manufacturing Management", "verbatim copy"),
    ]
    hours = [r["hours_after_original"] for r in rows]
    assert hours == sorted(hours)
    assert hours[1:] == pytest.approx([8.48, 9.18, 11.48], abs=0.01)
    assert "GOV.UK" not in {r["outlet"] for r in rows}, "the original is not a republication"


def test_announcements_per_year(demo_db: Path) -> None:
    rows = saved("announcements_per_year", demo_db)
    assert [(r["year"], r["announcements"]) for r in rows] == [(2019, 1), (2020, 1), (2021, 1), (2022, 1)]
    assert rows[0]["articles"] == 5
    assert rows[0]["sums_announced_gbp"] == [170_000_000]
    assert rows[2]["headlines"] == ["Nine new Institutes of Technology to boost higher technical skills"]


def test_announcements_per_year_lists_quiet_years(demo_db: Path, tmp_path: Path) -> None:
    db = copy_of(demo_db, tmp_path / "quiet")
    execute(db, "DELETE FROM announcements WHERE year(announced_on) IN (2020, 2021)")
    rows = saved("announcements_per_year", db)
    assert [(r["year"], r["announcements"], r["headlines"]) for r in rows][1:3] == [(2020, 0, None), (2021, 0, None)]


def test_iots_with_funding_before_and_after_institutes_are_named(demo_db: Path, tmp_path: Path) -> None:
    rows = saved("iots_with_funding", demo_db)
    dates = {r["announced_on"] for r in rows}
    assert dates == {"2019-04-10", "2020-10-08", "2021-12-17", "2022-11-03"}, "no announcement is lost"
    db = copy_of(demo_db, tmp_path / "named")
    name_institutes(db)
    rows = saved("iots_with_funding", db)
    first_wave = {r["institute"]: r for r in rows if r["announced_on"] == "2019-04-10"}
    assert set(FIRST_WAVE) <= set(first_wave)
    assert first_wave["Weston College"]["funding_gbp"] == 170_000_000
    assert first_wave["Weston College"]["institutes_in_announcement"] == 12
    assert [r["institute"] for r in rows if r["announced_on"] == "2020-10-08"] == [None]


def test_institutes_by_region(demo_db: Path, tmp_path: Path) -> None:
    rows = saved("institutes_by_region", demo_db)
    assert len(rows) == 21
    regions = Counter(r["region"] for r in rows)
    assert regions["London"] == 3
    assert regions["North East"] == 1
    assert sum(regions.values()) == 21 and len(regions) == 9
    assert Counter(r["wave"] for r in rows) == {1: 12, 2: 9}
    db = copy_of(demo_db, tmp_path / "named")
    name_institutes(db)
    named = {r["lead"]: r for r in saved("institutes_by_region", db)}
    assert all(r["announcements"] >= 1 for r in named.values()), [k for k, r in named.items() if not r["announcements"]]
    swindon = named["Swindon College"]
    assert swindon["announcements"] == 2
    assert "Swindon and Wiltshire Institute of Technology" in swindon["named_as"]
    assert named["University of Salford"]["first_named_on"] == "2021-12-17"
    # York's pattern must not take the Yorkshire colleges of wave two.
    assert named["York College"]["named_as"] == ["York College"]


def test_what_changed_since_last_week(demo_db: Path, tmp_path: Path) -> None:
    rows = saved("changed_since_last_week", demo_db)
    assert {r["change"] for r in rows} == {"new"}, "the demo was loaded just now"
    assert len(rows) == query(demo_db, "SELECT count(*) FROM articles")[0][0]
    assert all(r["new_announcement"] for r in rows if r["announcement"])
    db = copy_of(demo_db, tmp_path / "old")
    execute(db, "UPDATE runs SET started_at = started_at - INTERVAL 30 DAY")
    assert saved("changed_since_last_week", db) == []


def test_failed_fetches_to_retry(demo_db: Path, tmp_path: Path) -> None:
    assert saved("failed_fetches_to_retry", demo_db) == []
    db = copy_of(demo_db, tmp_path / "failed")
    now = datetime.now(UTC)
    attempts = [
        # Failed twice, still failing: retry.
        ("a1", "https://feweek.co.uk/feed/", now - timedelta(hours=2), 503, "HTTP 503", "feweek", None),
        ("a2", "https://feweek.co.uk/feed/", now - timedelta(hours=1), None, "ConnectTimeout", "feweek", None),
        # Failed, then fetched: nothing to retry.
        ("b1", "https://www.tes.com/rss/news.xml", now - timedelta(hours=2), 429, "HTTP 429", "tes", None),
        ("b2", "https://www.tes.com/rss/news.xml", now - timedelta(hours=1), 200, None, "tes", None),
        # A 404 is an answer, not a failure to retry; robots.txt refusals are not retried either.
        ("c1", "https://www.fenews.co.uk/gone", now, 404, "HTTP 404", "fenews", None),
        ("d1", "https://www.fenews.co.uk/private", now, None, None, "fenews", "robots.txt"),
    ]
    insert_fetches(db, attempts)
    (row,) = saved("failed_fetches_to_retry", db)
    assert row["url"] == "https://feweek.co.uk/feed/"
    assert (row["host"], row["source"], row["last_status"], row["last_error"]) == (
        "feweek.co.uk",
        "feweek",
        "network error",
        "ConnectTimeout",
    )
    assert row["failures"] == 2
    # The same rule as the one `run` and `fetch --retry-failed` retry by.
    retried = query(db, sql("fetch.failed_urls").replace("$source", "CAST(NULL AS VARCHAR)"))
    assert retried == [(row["url"],)]


def test_every_saved_query_runs_on_an_empty_warehouse(tmp_path: Path) -> None:
    db = empty_warehouse(tmp_path / "empty.duckdb")
    for path in sorted(QUERIES.glob("*.sql")):
        rows = saved(path.stem, db)
        if path.stem == "institutes_by_region":
            assert len(rows) == 21, "the reference list stands without any announcement"
        else:
            assert rows == [], path.stem
