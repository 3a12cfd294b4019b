"""An announcement's count, sum and institutes from the facts of its articles (original first)."""

from __future__ import annotations

from iot_ingest.ingest.dedup_step import ArticleFacts, announcement_facts

GOVUK = ArticleFacts(
    9, 120_000_000, (("cheshire-south-west", "Cheshire College South & West"), ("derby", "University of Derby"))
)
TES = ArticleFacts(
    9, 120_000_000, (("cheshire-south-west", "Cheshire College South and West"), ("salford", "University of Salford"))
)
SILENT = ArticleFacts(None, None, ())


def test_the_original_gives_the_facts_and_its_own_spelling() -> None:
    assert announcement_facts([GOVUK, TES]) == (
        9,
        120_000_000,
        ["Cheshire College South & West", "University of Derby"],
    )


def test_an_original_that_names_nothing_falls_back_to_all_its_articles_each_institute_once() -> None:
    count, funding, names = announcement_facts([SILENT, TES, GOVUK])
    assert (count, funding) == (9, 120_000_000)
    assert names == ["Cheshire College South and West", "University of Salford", "University of Derby"]


def test_without_the_original_s_value_the_most_reported_wins_ties_to_the_earliest() -> None:
    reports = [SILENT, ArticleFacts(21, None, ()), ArticleFacts(9, 1, ()), ArticleFacts(9, 2, ())]
    assert announcement_facts(reports)[:2] == (9, 1)
    assert announcement_facts([]) == (None, None, [])
