"""Originals and announcements from copy relations and facts, without a warehouse."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from iot_ingest.dedup.events import (
    SIMILAR,
    SIMILAR_CORROBORATED,
    ArticleInfo,
    CopyEdge,
    announcement_id,
    choose_originals,
    event_kind,
    group_events,
)
from iot_ingest.dedup.topical import TopicTerms, similarity, topical_terms
from tests.support.topics import SUBJECT

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


# Reports written independently: no copy relation between them, and no institute named.
COMPETITION_RELEASE = (
    "Competition opens for new Institutes of Technology",
    "Colleges and universities in areas without an Institute of Technology can now bid for a share of up to "
    "£120 million to set up a new one, Education Secretary Gavin Williamson announced today (8 October 2020). "
    "Up to eight more institutes will be created in the second wave. Bids must be submitted by 14 December 2020, "
    "and the prospectus sets out how proposals from partnerships of further education colleges, universities "
    "and employers will be assessed.",
)
COMPETITION_REPORT = (
    "Second wave of institutes of technology: the bidding window is open",
    "Further education colleges have until 14 December to bid for the second wave of institutes of technology, "
    "with up to £120 million on offer for as many as eight partnerships. Gavin Williamson launched the "
    "competition last week; only areas of England without an existing institute can apply, according to the "
    "prospectus.",
)
OPENING_SWINDON = (
    "Swindon and Wiltshire Institute of Technology opens its doors",
    "The Swindon and Wiltshire Institute of Technology has opened its £21 million building at the North Star "
    "campus, where the first students have started higher technical courses in digital, engineering and "
    "health science.",
)
OPENING_LINCOLN = (
    "Lincolnshire Institute of Technology opens its doors",
    "The Lincolnshire Institute of Technology has opened its £12 million building in Lincoln, where the first "
    "students have started higher technical courses in engineering, digital and agri-food technology.",
)


def topical(
    article_id: str,
    hours: float | None,
    text: tuple[str, str],
    *,
    official: bool = False,
    kind: str = "other",
    institutes: tuple[str, ...] = (),
    seen_hours: float | None = None,
) -> ArticleInfo:
    when = T0 + timedelta(hours=hours) if hours is not None else None
    seen = T0 + timedelta(hours=seen_hours if seen_hours is not None else (hours or 0))
    return ArticleInfo(
        article_id, when, seen, official, True, None, None, frozenset(institutes), kind, topical_terms(*text, SUBJECT)
    )


def test_an_independent_report_of_a_competition_three_days_later_joins_the_release() -> None:
    articles = {
        "govuk": topical("govuk", 0, COMPETITION_RELEASE, official=True, kind="competition"),
        "feweek": topical("feweek", 24 * 3 + 5, COMPETITION_REPORT, kind="competition"),
        # The same words a month later are another event: out of the window.
        "later": topical("later", 24 * 30, COMPETITION_REPORT, kind="competition"),
    }
    assert {e.members for e in group_events(articles, [])} == {("feweek", "govuk"), ("later",)}


def test_an_undated_report_joins_its_event_but_not_one_after_it_was_seen() -> None:
    articles = {
        "govuk": topical("govuk", 0, COMPETITION_RELEASE, official=True, kind="competition"),
        "undated": topical("undated", None, COMPETITION_REPORT, kind="competition", seen_hours=24 * 20),
    }
    (event,) = group_events(articles, [])
    assert (event.original, event.members) == ("govuk", ("govuk", "undated"))
    # Captured before the release: it cannot be a report of it.
    articles["undated"] = topical("undated", None, COMPETITION_REPORT, kind="competition", seen_hours=-24 * 5)
    assert len(group_events(articles, [])) == 2


def test_two_openings_a_day_apart_stay_two_however_alike_their_words() -> None:
    assert similarity(topical_terms(*OPENING_SWINDON, SUBJECT), topical_terms(*OPENING_LINCOLN, SUBJECT)) > SIMILAR
    articles = {
        "swindon": topical("swindon", 0, OPENING_SWINDON, kind="opening", institutes=("swindon",)),
        "lincoln": topical("lincoln", 24, OPENING_LINCOLN, kind="opening", institutes=("lincoln",)),
        # A report naming no institute joins the one it is most like, and only that one.
        "report": topical("report", 26, OPENING_LINCOLN, kind="opening"),
    }
    assert sorted(e.members for e in group_events(articles, [])) == [("lincoln", "report"), ("swindon",)]


def test_a_competition_and_its_winners_in_one_week_stay_two() -> None:
    winners = ("Eight new institutes of technology named", COMPETITION_RELEASE[1])
    articles = {
        "launch": topical("launch", 0, COMPETITION_RELEASE, official=True, kind="competition"),
        "winners": topical("winners", 48, winners, official=True, kind="designation"),
    }
    assert len(group_events(articles, [])) == 2


def test_an_announcement_kind_is_its_originals_else_what_most_say() -> None:
    def kinded(kind: str) -> ArticleInfo:
        return ArticleInfo("x", T0, T0, False, True, kind=kind)

    assert event_kind([kinded("designation"), kinded("opening"), kinded("opening")]) == "designation"
    assert event_kind([kinded("other"), kinded("opening"), kinded("competition"), kinded("opening")]) == "opening"
    assert event_kind([kinded("other")]) == "other"


DESIGNATION_RELEASE = (
    "Prime Minister announces the first twelve Institutes of Technology",
    "Twelve Institutes of Technology will be set up across England, backed by £170 million of government "
    "funding, Prime Minister Theresa May and Education Secretary Damian Hinds announced today. The institutes "
    "are partnerships of colleges, universities and employers such as Nissan, Siemens and Microsoft. The lead "
    "organisations include the University of Lincoln, Swindon College and York College.",
)
REACTION = (
    "Business responds to Institutes of Technology announcement",
    "Responding to the news that twelve Institutes of Technology will share £170 million, the business group's "
    "director of people and skills said firms would welcome a stronger route into higher technical jobs, but that "
    "the apprenticeship levy still needed reform.",
)
PARTNER = (
    "Lincoln's bid success brings new technical education centre",
    "The University of Lincoln will lead the Lincolnshire Institute of Technology with colleges across the county, "
    "after the Prime Minister confirmed the bid today. Courses in engineering and agri-food will start next year.",
)


def test_a_reaction_and_a_partners_own_news_join_the_release_on_less_likeness() -> None:
    def article(article_id: str, hours: float, text: tuple[str, str], **facts: object) -> ArticleInfo:
        when = T0 + timedelta(hours=hours)
        return ArticleInfo(
            article_id, when, when, article_id == "govuk", True, terms=topical_terms(*text, SUBJECT), **facts
        )  # type: ignore[arg-type]

    release = topical_terms(*DESIGNATION_RELEASE, SUBJECT)
    for text in (REACTION, PARTNER):
        assert SIMILAR_CORROBORATED <= similarity(release, topical_terms(*text, SUBJECT)) < SIMILAR
    articles = {
        "govuk": article("govuk", 0, DESIGNATION_RELEASE, institute_count=12, funding_gbp=170_000_000,
                         institutes=frozenset({"lincoln", "swindon", "york"}), kind="designation"),
        "reaction": article("reaction", 6, REACTION, institute_count=12, funding_gbp=170_000_000),
        "partner": article("partner", 8, PARTNER, institutes=frozenset({"lincoln"})),
    }  # fmt: skip
    (event,) = group_events(articles, [])
    assert event.members == ("govuk", "partner", "reaction")
    # A week later the same words do not do: nothing but likeness is shared then.
    articles["reaction"] = article("reaction", 24 * 6, REACTION, institute_count=12, funding_gbp=170_000_000)
    assert len(group_events(articles, [])) == 2


# Reports in their own words of the first wave: a blog naming places, not institutes.
PLACES_BLOG = (
    "Twelve places win a share of £170m for technical training",
    "Barking, Dudley, Harrow, Milton Keynes, Durham, Solihull, Swindon, Exeter, Lincoln, Weston-super-Mare and "
    "York are among the twelve places revealed this morning as homes of the new institutes, which ministers hope "
    "will close the gap in higher technical skills.",
)
CONTEST_REPORT = (
    "Colleges enter £120m contest for new technical institutes",
    "A contest to set up as many as eight more institutes got under way last week, and engineering employers are "
    "being urged to approach their local college before proposals are written.",
)


def facts(
    article_id: str,
    when: datetime,
    text: tuple[str, str],
    *,
    kind: str,
    count: int | None = None,
    funding: int | None = None,
    institutes: tuple[str, ...] = (),
    official: bool = False,
) -> ArticleInfo:
    return ArticleInfo(
        article_id,
        when,
        when,
        official,
        True,
        count,
        funding,
        frozenset(institutes),
        kind,
        topical_terms(*text, SUBJECT),
    )


def test_a_report_naming_places_joins_the_release_whose_institutes_they_are() -> None:
    release = facts("govuk", T0, DESIGNATION_RELEASE, kind="designation", count=12, funding=170_000_000,
                    institutes=("lincoln", "swindon", "york"), official=True)  # fmt: skip
    assert {"lincoln", "swindon", "york"} <= topical_terms(*PLACES_BLOG, SUBJECT).places
    # Its places are the release's institutes: with its sum that is enough, whatever its kind.
    blog = facts("blog", T0 + timedelta(hours=10), PLACES_BLOG, kind="other", funding=170_000_000)
    assert [e.members for e in group_events({"govuk": release, "blog": blog}, [])] == [("blog", "govuk")]
    # The same words and sum without the places resolved: too little alike to join on words alone.
    assert SIMILAR_CORROBORATED < similarity(release.terms, blog.terms) < SIMILAR
    unplaced = replace(blog, terms=TopicTerms(dict(blog.terms)))
    assert len(group_events({"govuk": release, "blog": unplaced}, [])) == 2
    # Places of other institutes are other institutes: never joined, even on the same kind and sum.
    elsewhere = ("Nine areas win a share of £170m", "Blackpool, Derby and Salford are among them.")
    other = facts("other", T0 + timedelta(hours=10), elsewhere, kind="designation", funding=170_000_000)
    assert len(group_events({"govuk": release, "other": other}, [])) == 2


def test_the_same_kind_and_sum_within_three_calendar_days_join_without_an_institute_in_common() -> None:
    release_at = datetime(2020, 10, 8, 7, 0, tzinfo=UTC)
    release = facts("govuk", release_at, COMPETITION_RELEASE, kind="competition", count=8, funding=120_000_000,
                    official=True)  # fmt: skip
    # Three calendar days later in the evening: more than 72 hours, still "three days later".
    report_at = datetime(2020, 10, 11, 17, 30, tzinfo=UTC)
    assert similarity(release.terms, topical_terms(*CONTEST_REPORT, SUBJECT)) < SIMILAR
    report = facts("engineer", report_at, CONTEST_REPORT, kind="competition", funding=120_000_000)
    assert [e.members for e in group_events({"govuk": release, "engineer": report}, [])] == [("engineer", "govuk")]
    # The same count of several institutes does as well as the same sum.
    by_count = facts("engineer", report_at, CONTEST_REPORT, kind="competition", count=8)
    assert len(group_events({"govuk": release, "engineer": by_count}, [])) == 1
    # A fourth day, another kind, a count of one, or nothing but the topic: not evidence enough.
    for later in (
        facts("engineer", report_at + timedelta(days=1), CONTEST_REPORT, kind="competition", funding=120_000_000),
        facts("engineer", report_at, CONTEST_REPORT, kind="designation", funding=120_000_000),
        facts("engineer", report_at, CONTEST_REPORT, kind="other", funding=120_000_000),
        facts("engineer", report_at, CONTEST_REPORT, kind="competition", count=1),
        facts("engineer", report_at, CONTEST_REPORT, kind="competition"),
    ):
        assert len(group_events({"govuk": release, "engineer": later}, [])) == 2


def test_two_openings_a_day_apart_with_one_sum_stay_two_when_their_places_differ() -> None:
    swindon = ("Technology centre opens in Swindon", "A £21 million building opened in Swindon today.")
    lincoln = ("Technology centre opens in Lincoln", "A £21 million building opened in Lincoln today.")
    articles = {
        "swindon": facts("swindon", T0, swindon, kind="opening", count=1, funding=21_000_000),
        "lincoln": facts("lincoln", T0 + timedelta(days=1), lincoln, kind="opening", count=1, funding=21_000_000),
    }
    assert articles["swindon"].named == {"swindon"} and articles["lincoln"].named == {"lincoln"}
    assert len(group_events(articles, [])) == 2
