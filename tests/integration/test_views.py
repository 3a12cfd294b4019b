"""The analysts' views on the demo warehouse: the numbers a person would check by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.demo_warehouse import (
    FIRST_WAVE,
    WAVE_TWO,
    copy_of,
    demo_warehouse_fixture,
    execute,
    insert_fetches,
    name_institutes,
)

pytestmark = pytest.mark.integration


demo_db = demo_warehouse_fixture()


@pytest.fixture
def named_db(demo_db: Path, tmp_path: Path) -> Path:
    db = copy_of(demo_db, tmp_path / "named")
    name_institutes(db)
    return db


def _as_dicts(db: Path, sql: str) -> list[dict[str, object]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def test_announcements_view_counts_coverage(demo_db: Path) -> None:
    rows = {str(r["announced_on"]): r for r in _as_dicts(demo_db, "SELECT * FROM v_announcements")}
    assert set(rows) == {"2019-04-10", "2020-10-08", "2021-12-17", "2022-11-03"}
    first = rows["2019-04-10"]
    assert first["headline"] == "The First Twelve Institutes of Technology Announced"
    assert first["institute_count"] == 12
    assert first["funding_gbp"] == 170_000_000
    assert first["original_publisher"] == "GOV.UK"
    # The demo serves GOV.UK on 127.0.0.1; the Content API item is known by its address there.
    assert first["original_url"].endswith("/government/news/the-first-twelve-institutes-of-technology-announced")
    # GOV.UK, FE News, PES Media, Manufacturing Management, The LEP Network: five outlets, one article
    # each; GOV.UK through its Content API, FE News at three addresses (its mirror and a utm link).
    assert (first["articles"], first["outlets"], first["sightings"]) == (5, 5, 7)
    wave_two = rows["2021-12-17"]
    assert (wave_two["articles"], wave_two["outlets"], wave_two["sightings"]) == (3, 3, 4)
    first_seen = first["first_seen_at"]
    assert isinstance(first_seen, datetime)
    # First seen when the demo fetched it, not when it was published.
    assert datetime.now(UTC) - timedelta(hours=6) < first_seen.astimezone(UTC) <= datetime.now(UTC)


def test_announcements_view_lists_institutes_without_multiplying_counts(demo_db: Path, named_db: Path) -> None:
    before = {r["announcement_id"]: r for r in _as_dicts(demo_db, "SELECT * FROM v_announcements")}
    after = {r["announcement_id"]: r for r in _as_dicts(named_db, "SELECT * FROM v_announcements")}
    assert before.keys() == after.keys()
    for key, row in after.items():
        for column in ("articles", "sightings", "outlets"):
            assert row[column] == before[key][column], (key, column)
    by_date = {str(r["announced_on"]): r for r in after.values()}
    institutes = by_date["2019-04-10"]["institutes"]
    assert isinstance(institutes, list)
    assert set(FIRST_WAVE) <= set(institutes)
    assert institutes == sorted(institutes)
    # An announcement naming no institute has an empty list, never NULL, with or without rows elsewhere.
    assert all(isinstance(r["institutes"], list) for r in [*before.values(), *after.values()])
    competition = next(k for k, r in before.items() if str(r["announced_on"]) == "2020-10-08")
    assert after[competition]["institutes"] == before[competition]["institutes"]


def test_institutes_view(named_db: Path) -> None:
    rows = {r["institute_id"]: r for r in _as_dicts(named_db, "SELECT * FROM v_institutes")}
    named = {k for k, r in rows.items() if r["announcements"]}
    assert len(named) == 21 and all(rows[k]["status"] == "designated" for k in named)
    assert {n for k in named for n in rows[k]["named_as"]} >= set(FIRST_WAVE) | set(WAVE_TWO)
    dudley = rows["dudley"]
    assert (dudley["name"], dudley["lead_provider"], dudley["wave"]) == (
        "Black Country and Marches Institute of Technology",
        "Dudley College of Technology",
        1,
    )
    assert dudley["announcements"] == 1
    assert dudley["headlines"] == ["The First Twelve Institutes of Technology Announced"]
    assert dudley["sums_mentioned_gbp"] == [170_000_000]
    assert str(dudley["first_announced_on"]) == str(dudley["latest_announced_on"]) == "2019-04-10"
    assert dudley["articles"] >= 1 and dudley["outlets"] >= 1
    salford = rows["salford"]
    assert (str(salford["announced_on"]), salford["wave"]) == ("2021-12-17", 2)
    assert salford["sums_mentioned_gbp"] == [120_000_000]
    assert rows["ncg"]["status"] == "shortlisted" and rows["ncg"]["wave"] is None


def test_an_institute_named_by_its_lead_and_by_its_own_name_is_one_row(named_db: Path) -> None:
    (row,) = _as_dicts(named_db, "SELECT * FROM v_institutes WHERE institute_id = 'swindon'")
    assert row["announcements"] == 2
    assert row["named_as"] == ["Swindon College", "Swindon and Wiltshire Institute of Technology"]
    assert row["sums_mentioned_gbp"] == [21_000_000, 170_000_000]
    assert (str(row["first_announced_on"]), str(row["latest_announced_on"])) == ("2019-04-10", "2022-11-03")
    assert str(row["opened_on"]) == "2022-11-03"
    assert row["headlines"] == [
        "The First Twelve Institutes of Technology Announced",
        "Swindon and Wiltshire Institute of Technology opens its doors",
    ]
    timeline = _as_dicts(
        named_db, "SELECT event_on, kind FROM v_institute_timeline WHERE institute_id = 'swindon' ORDER BY event_on"
    )
    assert [(str(t["event_on"]), t["kind"]) for t in timeline] == [
        ("2019-04-10", "designation"),
        ("2022-11-03", "opening"),
    ]


def test_coverage_view(demo_db: Path) -> None:
    rows = {r["outlet"]: r for r in _as_dicts(demo_db, "SELECT * FROM v_coverage")}
    assert rows["GOV.UK"]["originals"] == 3
    assert rows["GOV.UK"]["copies"] == 0
    assert rows["GOV.UK"]["median_lag_hours"] is None  # an original does not lag itself
    for outlet in ("FE News", "PES Media", "Manufacturing Management", "The LEP Network"):
        assert rows[outlet]["copies"] == 1, outlet
    assert rows["FE Week"]["own_reports"] == 1
    assert rows["FE Week"]["copies"] == 0
    # FE News at 07:30 UTC, GOV.UK's original at 23:01 UTC the day before.
    assert rows["FE News"]["median_lag_hours"] == pytest.approx(8.48, abs=0.01)
    assert rows["FE News"]["sightings"] == 3
    # The LEP Network dated its copy midnight UK time, a minute before the 00:01 release.
    lep = rows["The LEP Network"]["median_lag_hours"]
    assert isinstance(lep, float) and lep < 0
    assert "The Engineer" not in rows, "a hard negative is not coverage"


def test_pipeline_health_view(demo_db: Path, tmp_path: Path) -> None:
    db = copy_of(demo_db, tmp_path / "health")
    now = datetime.now(UTC)
    execute(
        db,
        "INSERT INTO runs VALUES (?, ?, ?, ?, ?, NULL, NULL)",
        [("r-failed", "ingest", now - timedelta(hours=2), now - timedelta(hours=2), "failed")],
    )
    fetches = [
        ("f1", "https://www.gov.uk/api/search.json?q=x", now - timedelta(hours=1), 503, "HTTP 503", "govuk-dfe", None),
        (
            "f2",
            "https://www.gov.uk/api/search.json?q=y",
            now - timedelta(minutes=50),
            503,
            "HTTP 503",
            "govuk-dfe",
            None,
        ),
        ("f3", "https://feweek.co.uk/feed/", now - timedelta(hours=3), None, "ConnectTimeout", "feweek", None),
        ("f4", "https://FEWEEK.co.uk/private/", now - timedelta(hours=3), None, None, "feweek", "robots.txt"),
        # Sources the demo does not have. Successful polls: govuk-dfe three hours ago (stale past 2 h),
        # feweek an hour ago (fine).
        ("f5", "https://www.gov.uk/api/search.json?q=z", now - timedelta(hours=3), 200, None, "govuk-dfe", None),
        ("f6", "https://feweek.co.uk/feed/", now - timedelta(hours=1), 304, None, "feweek", None),
        # A source that never got an answer.
        ("f7", "https://www.fenews.co.uk/feed/", now, 500, "HTTP 500", "fenews-jobs", None),
        # The Content API's 404, then the page it stands for: the source's fallback worked.
        ("f8", "https://www.gov.uk/api/content/government/news/x", now - timedelta(minutes=5), 404, None, "x", None),
        ("f9", "https://www.gov.uk/government/news/x", now - timedelta(minutes=4), 200, None, "x", None),
    ]
    insert_fetches(db, fetches)
    # What a run of each source records from its configuration: GOV.UK hourly (the others, unrecorded
    # here, are expected every 6 hours).
    execute(db, "INSERT INTO source_schedules VALUES (?, ?, ?, ?)", [("govuk-dfe", "govuk_search", 1, now)])
    execute(
        db,
        "INSERT INTO source_state VALUES (?, ?, ?, ?)",
        [("tes-sitemap", "lastmod", '"2026-01-01"', now - timedelta(hours=20))],
    )
    execute(
        db,
        "INSERT INTO ingest_errors VALUES (?, ?, ?, ?, ?, ?, ?)",
        [("e1", "r-failed", "extract", "https://www.tes.com/x", "https://www.tes.com/x", "no article", now)],
    )
    rows = {(r["area"], r["subject"], r["status"]): r for r in _as_dicts(db, "SELECT * FROM v_pipeline_health")}
    assert rows[("run", "ingest", "failed")]["problem"] is True
    assert rows[("run", "ingest", "completed")]["problem"] is False
    assert rows[("fetch_failure", "www.gov.uk", "503")]["total"] == 2
    assert rows[("fetch_failure", "www.gov.uk", "503")]["detail"] == "HTTP 503"
    recovered = rows[("fetch_failure", "www.gov.uk", "404")]
    assert (recovered["problem"], recovered["detail"]) == (False, "(recovered since)")
    # The feed timed out, then answered 304 an hour ago: recorded, no longer a problem.
    timed_out = rows[("fetch_failure", "feweek.co.uk", "network error")]
    assert (timed_out["detail"], timed_out["problem"]) == ("ConnectTimeout (recovered since)", False)
    assert rows[("fetch_failure", "feweek.co.uk", "skipped: robots.txt")]["total"] == 1
    assert rows[("ingest_error", "www.tes.com", "extract")]["detail"] == "no article"
    assert rows[("source", "govuk-dfe", "stale")]["problem"] is True
    assert rows[("source", "feweek", "ok")]["problem"] is False
    assert rows[("source", "tes-sitemap", "stale")]["detail"] == "expected every 06:00:00"
    never = rows[("source", "fenews-jobs", "stale")]
    assert (never["problem"], never["last_at"], never["total"]) == (True, None, 0)
    assert never["detail"] == "never fetched successfully; expected every 06:00:00"
    assert not any(area == "fetch_failure" and status == "200" for area, _, status in rows)
