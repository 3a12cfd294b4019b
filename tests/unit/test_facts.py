from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.topics import facts_of, relevance_of


@pytest.mark.parametrize(
    ("text", "gbp", "qualifier"),
    [
        ("backed by £170 million of investment", 170_000_000, None),
        ("a £170m fund", 170_000_000, None),
        ("up to £120m for wave two", 120_000_000, "up to"),
        ("£1.5bn for skills", 1_500_000_000, None),
        ("£21,000,000 for Swindon", 21_000_000, None),
        ("£16.8 million of a £32.5m project", 16_800_000, None),
    ],
)
def test_sums_are_normalised_to_pounds(text: str, gbp: int, qualifier: str | None) -> None:
    facts = facts_of(None, text)
    assert facts.funding_gbp == gbp
    assert facts.sums[0].qualifier == qualifier


def test_absurd_sums_are_not_facts() -> None:
    assert facts_of(None, "£999999999999bn").funding_gbp is None


@pytest.mark.parametrize(
    ("title", "body", "count"),
    [
        ("Government announces 12 Institutes of Technology", "", 12),
        (None, "Twelve new Institutes of Technology will be set up", 12),
        (None, "Nine new Institutes of Technology to boost skills", 9),
        (None, "bids for up to eight more IoTs", 8),
        (None, "no count here", None),
    ],
)
def test_institute_counts_in_digits_or_words(title: str | None, body: str, count: int | None) -> None:
    assert facts_of(title, body).institute_count == count


def test_the_title_gives_the_headline_sum_before_the_body() -> None:
    facts = facts_of("£120m for nine more institutes", "Both waves total £290 million.")
    assert facts.funding_gbp == 120_000_000
    assert [(s.gbp, s.context) for s in facts.sums] == [(120_000_000, False), (290_000_000, True)]


def test_a_total_or_the_pot_a_part_comes_from_is_not_the_headline() -> None:
    body = (
        "Across both waves the government has committed £290 million. The college receives £16.8m of a "
        "£32.5m project, from the government's £170 million fund."
    )
    facts = facts_of(None, body)
    assert facts.funding_gbp == 16_800_000
    assert [s.gbp for s in facts.sums if s.context] == [290_000_000, 32_500_000, 170_000_000]


def test_what_a_sum_is_for() -> None:
    (bid,) = facts_of(None, "Areas can bid for a share of up to £120 million to set one up.").sums
    assert (bid.gbp, bid.qualifier, bid.purpose) == (120_000_000, "up to", "set one up")
    (capital,) = facts_of(None, "£170 million of government capital funding, allowing them to invest.").sums
    assert capital.purpose is None  # "to invest" belongs to another clause


@pytest.mark.parametrize("text", ["£" + "9" * 40, "£999999999999bn", "£1" + "0" * 400 + "bn", "£.5m", "£,000"])
def test_malformed_or_huge_sums_are_dropped_without_raising(text: str) -> None:
    assert all(0 < s.gbp <= 10**12 for s in facts_of(None, text).sums)


@pytest.mark.parametrize(
    ("title", "body", "count", "qualifier"),
    [
        # The Swindon opening names one institute; "one of the first 12" is context.
        (
            "Swindon and Wiltshire Institute of Technology opens its doors",
            "The Institute was one of the first 12 Institutes of Technology announced in April 2019.",
            1,
            None,
        ),
        # Tes on wave 2: nine winners, not the 21 of the network they join.
        (
            "Institutes of technology: nine winners revealed",
            "The winners mean there will be 21 institutes of technology in England. The DfE had initially "
            "said that up to eight new institutes would be created.",
            9,
            None,
        ),
        (None, "They will join the 12 Institutes of Technology named in the first wave.", None, None),
        (None, "Nine bids have been successful, from 35 bids received.", 9, None),
        (None, "It received 35 bids.", None, None),
        (None, "a further eight Institutes of Technology", 8, "a further"),
        (None, "Twenty-one institutes of technology now cover England.", 21, None),
    ],
)
def test_the_count_is_the_one_the_announcement_is_about(
    title: str | None, body: str, count: int | None, qualifier: str | None
) -> None:
    facts = facts_of(title, body)
    assert (facts.institute_count, facts.count_qualifier) == (count, qualifier)


def test_institutes_by_alias_are_one_institute_kept_as_first_written() -> None:
    body = (
        "HCUC, which runs the institute in Uxbridge, is now Harrow, Richmond and Uxbridge Colleges (HRUC). "
        "Harrow College & Uxbridge College was among the first 12 leads, with Cheshire College South and West "
        "in the second wave, the Lincolnshire Institute of Technology (the University of Lincoln's) and "
        "a Nowhere Institute of Technology that no registry knows."
    )
    institutes = facts_of(None, body).institutes
    assert [(i.name, i.key, i.wave) for i in institutes] == [
        ("HCUC", "hcuc", 1),
        ("Cheshire College South and West", "cheshire-south-west", 2),
        ("Lincolnshire Institute of Technology", "lincoln", 1),
        ("Nowhere Institute of Technology", "nowhere-institute-of-technology", None),
    ]


def test_a_list_under_a_heading_names_unknown_leads_too() -> None:
    body = "The shortlisted bids are led by:\n\nNCG\n\nWest Suffolk College\n\nYork College\n\nMore news"
    assert [i.name for i in facts_of(None, body).institutes] == ["NCG", "West Suffolk College", "York College"]


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Education Secretary Damian Hinds said the plans were ambitious.", [("Damian Hinds", "Education Secretary")]),
        (
            "\u201cIt is a great day,\u201d said Jane Smith, principal of Weston College.",
            [("Jane Smith", "principal of Weston College")],
        ),
        ("Nadhim Zahawi, the education secretary, said more would follow.", [("Nadhim Zahawi", "education secretary")]),
        ("Hinds Community College, the largest in Mississippi, said enrolment rose.", []),
        (
            "Tsai Ing-wen, the president, spoke. Sean O'Brien, principal of York College, and Donald Trump's aide.",
            [("Tsai Ing-wen", "president"), ("Sean O'Brien", "principal of York College")],
        ),
    ],
)
def test_people_with_their_roles(text: str, people: list[tuple[str, str]]) -> None:
    assert [(p.name, p.role) for p in facts_of(None, text).people] == people


def test_employers_and_levels() -> None:
    facts = facts_of(
        None,
        "Leading employers including top firms Nissan, Siemens and Microsoft back courses at Level 4/5 and "
        "levels 3 to 5, beside T Levels and higher technical qualifications (HTQs).",
    )
    assert [(p.name, p.kind) for p in facts.partners] == [
        ("Nissan", "employer"),
        ("Siemens", "employer"),
        ("Microsoft", "employer"),
    ]
    assert facts.qualification_levels == (
        "Level 3",
        "Level 4",
        "Level 5",
        "T Levels",
        "higher technical qualifications",
    )


def test_places_are_not_employers() -> None:
    partners = facts_of(None, "Firms such as Europe, Nissan and Japan.").partners
    assert [p.name for p in partners] == ["Nissan"]


def test_dates_against_the_day_of_publication() -> None:
    published = datetime(2020, 10, 8, 9, 30, tzinfo=UTC)
    body = (
        "The competition opens today (8 October 2020). Bids must be submitted by 14 December 2020. The first "
        "institutes opened in September 2019 and the new ones will open from September 2023."
    )
    facts = facts_of(None, body, published)
    assert facts.announced_on == "2020-10-08"
    assert [(d.date, d.kind) for d in facts.dates] == [
        ("2020-10-08", "announcement"),
        ("2020-12-14", "deadline"),
        ("2019-09", "past"),
        ("2023-09", "opening"),
    ]


def test_the_announcement_day_is_the_uk_day_of_publication() -> None:
    # 23:01 UTC on 9 April is 00:01 BST on 10 April.
    facts = facts_of(None, "Twelve institutes of technology.", datetime(2019, 4, 9, 23, 1, tzinfo=UTC))
    assert facts.announced_on == "2019-04-10"


IOT_ANNOUNCEMENT = (
    "Twelve Institutes of Technology will be set up across England, the Education Secretary announced. "
    "The institutes are collaborations between colleges, universities and employers, backed by £170 million, "
    "and will deliver higher technical education at Level 4 and 5."
)


def test_an_iot_announcement_is_relevant_and_says_why() -> None:
    result = relevance_of("12 Institutes of Technology announced", IOT_ANNOUNCEMENT)
    assert result.relevant
    assert "institutes of technology" in [label for label, _, _ in result.reasons]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "How the Industrial IoT is changing the factory floor",
            "IoT sensors and the Internet of Things let manufacturers monitor machines. IoT devices report "
            "vibration data; the IIoT platform predicts failures at the college of engineering's lab.",
        ),
        (
            "Seven new Indian Institutes of Technology approved",
            "The Institutes of Technology (Amendment) Act brings the new IITs under the same framework as "
            "IIT Bombay and IIT Delhi. The Indian Institutes of Technology admit students through the JEE.",
        ),
        (
            "Ireland's institutes of technology merge",
            "Three institutes of technology in Ireland will merge to form a technological university, the Irish "
            "Higher Education Authority said.",
        ),
    ],
)
def test_hard_negatives_are_not_relevant(title: str, body: str) -> None:
    assert not relevance_of(title, body).relevant


@given(st.text(max_size=3000), st.one_of(st.none(), st.text(max_size=200)))
@settings(max_examples=200, deadline=2000)
def test_facts_never_raise_on_arbitrary_text(body: str, title: str | None) -> None:
    facts = facts_of(title, body)
    assert json.loads(json.dumps(facts.as_json())) is not None


_WORDS = st.sampled_from(
    ["£", "£170m", "up to", "twelve", "new", "Institutes of Technology", "Institute of Technology", "College",
     "University of", "said", "Education Secretary", "Level 4", "10 April 2019", "HCUC", "(", ")", ",", ".",
     "\n\n", ":", "and", "&", "The", "one of the", "IoTs", "9", "bn", "Harrow"]
)  # fmt: skip


@given(st.lists(_WORDS, max_size=400))
@settings(max_examples=100, deadline=2000)
def test_facts_never_raise_on_announcement_like_word_salad(words: list[str]) -> None:
    facts_of(" ".join(words[:20]), " ".join(words), datetime(2019, 4, 10, tzinfo=UTC))


@pytest.mark.parametrize(
    "body",
    [
        "A" * 200_000,
        "Institute of Technology " * 20_000,
        ("Swindon and " * 30_000) + "College",
        "£" + "1," * 50_000,
        ("Dr " + "Smith " * 5 + ", the principal of ") * 5_000,
        "\n".join(["West Suffolk College"] * 20_000),
        "Level 4 and " * 20_000,
        ("Education Secretary " + "Ab " * 3) * 10_000,
        " ".join(f"Alpha{i} College, Beta{i} University and Gamma{i} Institute of Technology." for i in range(5_000)),
    ],
    ids=["letters", "institutes", "long-name", "commas", "people", "list", "levels", "roles", "distinct-names"],
)
def test_facts_are_bounded_in_time_on_pathological_text(body: str) -> None:
    started = time.perf_counter()
    facts_of(body[:1000], body)
    assert time.perf_counter() - started < 2.0
