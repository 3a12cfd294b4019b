"""Originals and announcements from copy relations and facts, without a warehouse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from iot_ingest.dedup.events import ArticleInfo, CopyEdge, announcement_id, choose_originals, group_events

T0 = datetime(2019, 4, 9, 23, 1, tzinfo=UTC)


def info(article_id: str, hours: float, official: bool = False, **facts: object) -> ArticleInfo:
    when = T0 + timedelta(hours=hours)
    return ArticleInfo(article_id, when, when, official, True, facts.get("count"), facts.get("funding"))  # type: ignore[arg-type]


def test_the_official_source_is_the_original_even_when_a_wire_copy_came_first() -> None:
    articles = {
        "wire": info("wire", -3),  # the evening before the embargo lifted
        "govuk": info("govuk", 0, official=True),
        "press": info("press", 9),
    }
    edges = [
        CopyEdge("govuk", "wire", "edited"),
        CopyEdge("govuk", "press", "verbatim"),
        CopyEdge("press", "wire", "edited"),
    ]
    originals = choose_originals(articles, edges)
    assert originals == {"wire": ("govuk", "edited"), "govuk": None, "press": ("govuk", "verbatim")}


def test_no_transitive_copies_through_a_chain() -> None:
    # a-b share a story, b-c share only a footer-length overlap judged a copy elsewhere: c is a copy
    # of b at most, never of a.
    articles = {"a": info("a", 0), "b": info("b", 1), "c": info("c", 2)}
    originals = choose_originals(articles, [CopyEdge("a", "b", "verbatim"), CopyEdge("b", "c", "edited")])
    assert originals["c"] == ("b", "edited")


def test_separate_announcements_on_one_topic_stay_separate() -> None:
    articles = {
        "launch": info("launch", 0, official=True, count=8, funding=120_000_000),
        "winners": info("winners", 24 * 400, official=True, count=9, funding=120_000_000),
        "report": info("report", 24 * 400 + 5, count=9, funding=120_000_000),
        "rewrite": info("rewrite", 24 * 400 + 30, funding=120_000_000),
    }
    events = group_events(articles, [])
    assert {e.original: e.members for e in events} == {
        "launch": ("launch",),
        "winners": ("report", "rewrite", "winners"),
    }


def test_irrelevant_articles_are_in_no_announcement_and_ids_are_stable() -> None:
    articles = {"a": info("a", 0, official=True), "x": ArticleInfo("x", T0, T0, False, False, None, None)}
    (event,) = group_events(articles, [CopyEdge("a", "x", "verbatim")])
    assert event.members == ("a",)
    assert announcement_id("a") == announcement_id("a") != announcement_id("b")
