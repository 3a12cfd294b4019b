"""Relevance of the fixture articles: every hard negative named in the issue, and the positives."""

from __future__ import annotations

from dataclasses import replace

import pytest

from iot_ingest.extract import score_relevance
from tests.support.facts_fixtures import FixtureArticle, fixture_articles
from tests.support.topics import IOT_TOPIC, relevance_of

NEGATIVE_LABELS = {
    "neg_internet_of_things.txt": "Internet of Things",
    "neg_iit.txt": "Indian Institutes of Technology",
    "neg_ireland_tu.txt": "Irish institutes of technology and technological universities",
    "neg_turing.txt": "Alan Turing Institute",
    "neg_nihr.txt": "NIHR",
    "neg_ifate.txt": "IfATE",
    "neg_utc.txt": "university technical colleges",
    "neg_tec.txt": "technical excellence colleges",
    "neg_nmite.txt": "NMITE",
    "neg_minnesota.txt": "other universities' institutes of technology",
    "neg_pes_university.txt": "name clashes: PES University, Hinds Community College",
    "neg_hinds_cc.txt": "name clashes: PES University, Hinds Community College",
}


@pytest.mark.parametrize("article", fixture_articles(), ids=lambda a: a.file)
def test_fixture_relevance(article: FixtureArticle) -> None:
    result = relevance_of(article.title, article.body)
    assert result.relevant is article.expected["relevant"], result.reasons
    if article.file in NEGATIVE_LABELS:
        # Not relevant for the right reason: the negative rule for that topic fired.
        assert NEGATIVE_LABELS[article.file] in [label for label, _, _ in result.reasons]


@pytest.mark.parametrize("article", [a for a in fixture_articles() if a.file in NEGATIVE_LABELS], ids=lambda a: a.file)
def test_negatives_alone_keep_every_hard_negative_out(article: FixtureArticle) -> None:
    # Without the "passing mention" rule (min_hits), the negative weights must still do the job.
    topic = IOT_TOPIC.relevance
    lenient = replace(topic, rules=tuple(replace(rule, min_hits=1) for rule in topic.rules))
    assert not score_relevance(article.title, article.body, lenient).relevant


def test_a_text_that_never_names_the_topic_is_not_scored_further() -> None:
    result = relevance_of("Colleges and employers", "The Department for Education backs T Levels and colleges.")
    assert (result.relevant, result.score, result.reasons) == (False, 0.0, ())


def test_every_negative_rule_has_a_fixture() -> None:
    negatives = {rule.label for rule in IOT_TOPIC.relevance.rules if rule.kind == "negative"}
    assert negatives == set(NEGATIVE_LABELS.values())


def test_a_passing_mention_is_not_the_subject() -> None:
    body = (
        "Colleges and employers in the region welcomed the Department for Education's plans for T Levels, "
        "apprenticeships and further education, which one principal said would sit well with the institutes "
        "of technology."
    )
    result = relevance_of("Colleges welcome T Level plans", body)
    assert result.score >= IOT_TOPIC.relevance.threshold and not result.relevant
    assert ("institutes of technology", 1, 2.0) in result.reasons


def test_iot_counts_only_in_an_education_context() -> None:
    education = (
        "The new IoTs will be run by colleges with employers, teaching higher technical skills. IoTs open in 2019."
    )
    assert relevance_of("Nine new IoTs", education).relevant
    assert not relevance_of("IoT gateways", "IoT gateways and IoTs on the factory network.").relevant
