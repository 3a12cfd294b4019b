"""Facts from the fixture articles (tests/fixtures/facts/), field by field, against expected.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.facts_fixtures import FIXTURES, FixtureArticle, fixture_articles
from tests.support.topics import facts_of

RELEVANT = [a for a in fixture_articles() if a.expected["relevant"]]


def test_every_fixture_file_has_expectations() -> None:
    listed = {a.file for a in fixture_articles()}
    assert listed == {p.name for p in Path(FIXTURES).glob("*.txt")}


@pytest.mark.parametrize("article", RELEVANT, ids=lambda a: a.file)
def test_fixture_facts(article: FixtureArticle) -> None:
    facts = facts_of(article.title, article.body, article.published_at)
    expected = article.expected
    checks = {
        "institute_count": facts.institute_count,
        "count_qualifier": facts.count_qualifier,
        "funding_gbp": facts.funding_gbp,
        "institutes": [i.key for i in facts.institutes],
        "names": [i.name for i in facts.institutes],
        "people": [[p.name, p.role] for p in facts.people],
        "partners": [p.name for p in facts.partners],
        "levels": list(facts.qualification_levels),
        "places": list(facts.places),
        "announced_on": facts.announced_on,
        "dates": [[d.date, d.kind] for d in facts.dates],
    }
    headline = next((s for s in facts.sums if s.gbp == facts.funding_gbp), None)
    if "funding_purpose" in expected:
        assert headline is not None and headline.purpose == expected["funding_purpose"]
    if "funding_qualifier" in expected:
        assert headline is not None and headline.qualifier == expected["funding_qualifier"]
    compared = {field: value for field, value in checks.items() if field in expected}
    assert compared == {field: expected[field] for field in compared}
    assert len(compared) >= 3, "each relevant fixture pins several facts"
