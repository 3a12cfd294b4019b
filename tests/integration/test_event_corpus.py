"""Labelled coverage of real events (tests/fixtures/events, tests/fixtures/more-events): one
announcement per event with its date, facts and kind, every page relevant or not as labelled, dated
and recognised as a copy as labelled, and the institutes named resolving to real institutes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from iot_ingest.config import Config
from iot_ingest.ingest import import_warcs
from tests.support.clustering import adjusted_rand_index
from tests.support.digest import rows, snapshot
from tests.support.event_corpus import CORPORA, EventCorpus, Scores, expected, observed, score

pytestmark = pytest.mark.integration

EVENTS = EventCorpus.load("events")


def _load(corpus: EventCorpus, db: Path, warc_of: Callable[..., Path], config: Config) -> Path:
    import_warcs([warc_of(corpus.captures(), name=f"{corpus.name}.warc.gz")], db, config)
    return db


@pytest.fixture
def corpus_db(tmp_path: Path, warc_of: Callable[..., Path], config: Config) -> Path:
    return _load(EVENTS, tmp_path / "iot.duckdb", warc_of, config)


@pytest.mark.parametrize("name", CORPORA)
def test_one_announcement_per_event_with_its_date_facts_and_kind(
    name: str, tmp_path: Path, warc_of: Callable[..., Path], config: Config
) -> None:
    corpus = EventCorpus.load(name)
    found = observed(_load(corpus, tmp_path / "iot.duckdb", warc_of, config), corpus)
    truth = expected(corpus)
    assert found.relevant == truth.relevant
    assert adjusted_rand_index(truth.grouping, found.grouping) == 1.0
    # Every article has the day it was published; an undated one the day of what it reports.
    assert found.days == truth.days
    assert found.date_sources == truth.date_sources
    assert found.copies == truth.copies
    assert found.announcements == truth.announcements
    assert found.institutes == truth.institutes
    assert score(found, truth) == Scores(1.0, 1.0, 1.0, 1.0, 1.0)


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


@pytest.mark.parametrize("name", CORPORA)
def test_loading_the_corpus_in_pieces_and_again_gives_the_same_warehouse(
    name: str, tmp_path: Path, warc_of: Callable[..., Path], config: Config
) -> None:
    corpus = EventCorpus.load(name)
    whole_db = _load(corpus, tmp_path / "iot.duckdb", warc_of, config)
    tables = ("announcements", "announcement_institutes", "articles", "institutes")
    whole = snapshot(whole_db, tables)
    import_warcs([warc_of(corpus.captures(), name="again.warc.gz")], whole_db, config)
    assert snapshot(whole_db, tables) == whole
    # Newest first, one page per batch: each batch regroups only around what it brought.
    db = tmp_path / "pieces.duckdb"
    for index, capture in enumerate(sorted(corpus.captures(), key=lambda c: c.fetched_at, reverse=True)):
        import_warcs([warc_of([capture], name=f"piece-{index}.warc.gz")], db, config)
    pieces = rows(db, "SELECT announced_on, kind, article_count FROM announcements ORDER BY 1")
    assert pieces == rows(whole_db, "SELECT announced_on, kind, article_count FROM announcements ORDER BY 1")
    assert rows(db, "SELECT * FROM institutes ORDER BY 1") == rows(whole_db, "SELECT * FROM institutes ORDER BY 1")


def test_adjusted_rand_index() -> None:
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert adjusted_rand_index(truth, {"a": "x", "b": "x", "c": "y", "d": "y"}) == 1.0
    assert adjusted_rand_index(truth, {"a": "x", "b": "y", "c": "x", "d": "y"}) < 0
    assert 0 < adjusted_rand_index({**truth, "e": 2}, {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3}) < 1
