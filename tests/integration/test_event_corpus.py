"""Six real events as their coverage reported them (tests/fixtures/events): one announcement per
event, the right dates, facts and kinds, and the institutes they name resolving to real institutes."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import UTC, date
from pathlib import Path
from typing import Any

import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import Config
from iot_ingest.ingest import import_warcs
from iot_ingest.ukdates import uk_day
from tests.support.clustering import adjusted_rand_index
from tests.support.digest import rows, snapshot

pytestmark = pytest.mark.integration

CORPUS = Path(__file__).parents[1] / "fixtures" / "events"
MANIFEST: dict[str, Any] = tomllib.loads((CORPUS / "manifest.toml").read_text("utf-8"))
EVENTS = {e["name"]: e for e in MANIFEST["event"]}


def _captures() -> list[Capture]:
    return [
        Capture(
            url=page["url"],
            fetched_at=page["fetched_at"].astimezone(UTC),
            status=200,
            headers=(("Content-Type", "text/html; charset=utf-8"),),
            body=(CORPUS / page["file"]).read_bytes(),
        )
        for page in MANIFEST["page"]
    ]


@pytest.fixture
def corpus_db(tmp_path: Path, warc_of: Callable[..., Path], config: Config) -> Path:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(_captures(), name="events.warc.gz")], db, config)
    return db


def _articles(db: Path) -> dict[str, tuple[Any, ...]]:
    """By captured URL: relevant, announcement, published_at and where that date came from."""
    found = rows(
        db,
        """SELECT u.url, a.is_relevant, a.announcement_id, a.published_at, a.published_at_source
           FROM article_urls u JOIN articles a USING (article_id)""",
    )
    return {url: rest for url, *rest in found}


def test_one_announcement_per_event_with_its_date_facts_and_kind(corpus_db: Path) -> None:
    articles = _articles(corpus_db)
    pages = MANIFEST["page"]
    assert {p["url"] for p in pages if articles[p["url"]][0]} == {p["url"] for p in pages if p["event"]}
    truth = {p["url"]: p["event"] for p in pages if p["event"]}
    grouped = {url: articles[url][1] for url in truth}
    assert adjusted_rand_index(truth, grouped) == 1.0
    # Every article has the day it was published, the undated commentary the day of what it reports.
    days = {p["url"]: uk_day(articles[p["url"]][2]) for p in pages if p["event"]}
    assert days == {p["url"]: p["published_on"] for p in pages if p["event"]}
    sources = {p["file"]: articles[p["url"]][3] for p in pages if p["event"]}
    assert sources.pop("blog-competition-2017-undated.html") == "announcement"
    assert set(sources.values()) == {"page"}
    announcements = rows(
        corpus_db,
        "SELECT announced_on, kind, coalesce(institute_count, -1), funding_gbp, article_count FROM announcements",
    )
    members = {e: sum(1 for p in pages if p["event"] == e) for e in EVENTS}
    assert sorted(announcements) == sorted(
        (e["announced_on"], e["kind"], e["institute_count"], e["funding_gbp"], members[name])
        for name, e in EVENTS.items()
    )


def test_the_institutes_of_the_designations_and_the_opening_are_the_21(corpus_db: Path) -> None:
    named = rows(
        corpus_db,
        """SELECT an.announced_on, list(DISTINCT ai.institute_id ORDER BY ai.institute_id)
           FROM announcements an JOIN announcement_institutes ai USING (announcement_id) GROUP BY 1 ORDER BY 1""",
    )
    by_day = dict(named)
    real = set(by_day[date(2019, 4, 10)]) | set(by_day[date(2021, 12, 17)]) | set(by_day[date(2022, 11, 3)])
    assert len(real) == 21
    assert by_day[date(2022, 11, 3)] == ["swindon"]  # the 2022 opening is of the institute Swindon College led
    assert len(by_day[date(2018, 5, 27)]) == 16
    institutes = {
        r[0]: r[1:]
        for r in rows(corpus_db, "SELECT institute_id, status, wave, announced_on, opened_on FROM institutes")
    }
    assert institutes["swindon"] == ("designated", 1, date(2019, 4, 10), date(2022, 11, 3))
    assert institutes["derby"] == ("designated", 2, date(2021, 12, 17), None)
    # Shortlisted in 2018, never designated: kept as such.
    assert institutes["west-suffolk"] == ("shortlisted", None, date(2018, 5, 27), None)
    timeline = rows(
        corpus_db,
        "SELECT event_on, kind FROM v_institute_timeline WHERE institute_id = 'swindon' ORDER BY event_on",
    )
    assert timeline == [
        (date(2018, 5, 27), "shortlist"),
        (date(2019, 4, 10), "designation"),
        (date(2022, 11, 3), "opening"),
    ]
    (row,) = rows(corpus_db, "SELECT announcements, articles, outlets FROM v_institutes WHERE institute_id = 'swindon'")
    assert row == (3, 7, 5)


def test_loading_the_corpus_in_pieces_and_again_gives_the_same_warehouse(
    corpus_db: Path, tmp_path: Path, warc_of: Callable[..., Path], config: Config
) -> None:
    tables = ("announcements", "announcement_institutes", "articles", "institutes")
    whole = snapshot(corpus_db, tables)
    import_warcs([warc_of(_captures(), name="again.warc.gz")], corpus_db, config)
    assert snapshot(corpus_db, tables) == whole
    # Newest first, one page per batch: each batch regroups only around what it brought.
    db = tmp_path / "pieces.duckdb"
    for index, capture in enumerate(sorted(_captures(), key=lambda c: c.fetched_at, reverse=True)):
        import_warcs([warc_of([capture], name=f"piece-{index}.warc.gz")], db, config)
    pieces = rows(db, "SELECT announced_on, kind, article_count FROM announcements ORDER BY 1")
    assert pieces == rows(corpus_db, "SELECT announced_on, kind, article_count FROM announcements ORDER BY 1")
    assert rows(db, "SELECT * FROM institutes ORDER BY 1") == rows(corpus_db, "SELECT * FROM institutes ORDER BY 1")


def test_adjusted_rand_index() -> None:
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert adjusted_rand_index(truth, {"a": "x", "b": "x", "c": "y", "d": "y"}) == 1.0
    assert adjusted_rand_index(truth, {"a": "x", "b": "y", "c": "x", "d": "y"}) < 0
    assert 0 < adjusted_rand_index({**truth, "e": 2}, {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3}) < 1
