"""Originals and announcements from copy relations and facts, without a warehouse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from iot_ingest.dedup.events import ArticleInfo, CopyEdge, announcement_id, choose_originals, group_events

T0 = datetime(2019, 4, 9, 23, 1, tzinfo=UTC)


def info(
    article_id: str,
    hours: float,
    official: bool = False,
    count: int | None = None,
    funding: int | None = None,
    institutes: tuple[str, ...] = (),
) -> ArticleInfo:
    when = T0 + timedelta(hours=hours)
    return ArticleInfo(article_id, when, when, official, True, count, funding, frozenset(institutes))


WAVE_TWO = ("blackpool", "cheshire", "chichester", "dn", "newcastle-stafford", "solent", "south-essex", "derby")


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
        "winners": info("winners", 24 * 400, official=True, count=9, funding=120_000_000, institutes=WAVE_TWO),
        "report": info("report", 24 * 400 + 5, count=9, funding=120_000_000, institutes=WAVE_TWO),
        "rewrite": info("rewrite", 24 * 400 + 30, funding=120_000_000, institutes=WAVE_TWO[:3]),
        # Another story on the topic within the window, with the same sum but no institute named.
        "comment": info("comment", 24 * 400 + 40, funding=120_000_000),
    }
    events = group_events(articles, [])
    assert {e.original: e.members for e in events} == {
        "launch": ("launch",),
        "winners": ("report", "rewrite", "winners"),
        "comment": ("comment",),
    }


def test_two_openings_a_day_apart_are_two_announcements() -> None:
    # Each is the opening of one institute, one says 21 million and the other 12: only the count is
    # shared, and they name different institutes.
    articles = {
        "swindon": info("swindon", 0, count=1, funding=21_000_000, institutes=("swindon",)),
        "swindon-local": info("swindon-local", 3, count=1, institutes=("swindon",)),
        "lincolnshire": info("lincolnshire", 25, count=1, funding=12_000_000, institutes=("lincolnshire",)),
        "lincoln-college": info("lincoln-college", 26, count=1, institutes=("lincolnshire", "lincoln-college")),
        "unnamed": info("unnamed", 27, count=1, funding=12_000_000),
    }
    events = group_events(articles, [])
    assert sorted(e.members for e in events) == [
        ("lincoln-college", "lincolnshire"),
        ("swindon", "swindon-local"),
        ("unnamed",),
    ]
    # A verified copy joins whatever it names: the copy is of that report.
    (joined,) = [
        e for e in group_events(articles, [CopyEdge("lincolnshire", "unnamed", "trimmed")]) if len(e.members) > 2
    ]
    assert joined.members == ("lincoln-college", "lincolnshire", "unnamed")


def test_irrelevant_articles_are_in_no_announcement_and_ids_are_stable() -> None:
    articles = {"a": info("a", 0, official=True), "x": ArticleInfo("x", T0, T0, False, False, None, None)}
    (event,) = group_events(articles, [CopyEdge("a", "x", "verbatim")])
    assert event.members == ("a",)
    assert announcement_id("a") == announcement_id("a") != announcement_id("b")
