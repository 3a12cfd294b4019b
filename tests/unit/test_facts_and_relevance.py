from __future__ import annotations

import pytest

from iot_ingest.extract import extract_facts, score_relevance


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
    facts = extract_facts(None, text)
    assert facts.funding_gbp == gbp
    assert facts.sums[0].qualifier == qualifier


def test_absurd_sums_are_not_facts() -> None:
    assert extract_facts(None, "£999999999999bn").funding_gbp is None


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
    assert extract_facts(title, body).institute_count == count


def test_the_title_gives_the_headline_sum_before_the_body() -> None:
    facts = extract_facts("£120m for nine more institutes", "Both waves total £290 million.")
    assert facts.funding_gbp == 120_000_000
    assert [s.gbp for s in facts.sums] == [290_000_000]


IOT_ANNOUNCEMENT = (
    "Twelve Institutes of Technology will be set up across England, the Education Secretary announced. "
    "The institutes are collaborations between colleges, universities and employers, backed by £170 million, "
    "and will deliver higher technical education at Level 4 and 5."
)


def test_an_iot_announcement_is_relevant_and_says_why() -> None:
    result = score_relevance("12 Institutes of Technology announced", IOT_ANNOUNCEMENT)
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
    assert not score_relevance(title, body).relevant
