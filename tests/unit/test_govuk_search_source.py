"""The GOV.UK search source's pure parts: the query it sends, its scope, and what an API error says."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import GovukSearchSource
from iot_ingest.fetch import Accept, FetchOutcome
from iot_ingest.sources import DiscoveryFailed, Window
from iot_ingest.sources.govuk_search import GovukSearch, search_query


@pytest.mark.parametrize(
    ("query", "mode", "sent"),
    [
        ("institutes of technology", "phrase", '"institutes of technology"'),
        ("institutes of technology", "any_words", "institutes of technology"),
        ('"institute of technology" funding', "phrase", '"institute of technology" funding'),
        ("apprenticeships", "phrase", "apprenticeships"),
        ("", "phrase", ""),
        (None, "phrase", ""),
    ],
)
def test_a_several_word_query_goes_as_a_phrase(query: str | None, mode: str, sent: str) -> None:
    assert search_query(query, mode) == sent


class _Answers:
    """A SourceContext that answers every request with one response, and keeps the URLs asked for."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body, self.asked = status, body, list[str]()

    async def get(self, url: str, *, accept: Accept = "page") -> FetchOutcome:
        assert accept == "api"  # the Search API is asked for JSON, not pages
        self.asked.append(url)
        capture = Capture(url, datetime.now(UTC), self.status, (("Content-Type", "text/plain"),), self.body, "fetch")
        outcome = FetchOutcome(url=url, final_url=url, status=self.status, capture=capture)
        if self.status >= 400:
            outcome.error = f"HTTP {self.status}"
        return outcome

    def state(self, key: str) -> Any:
        return None

    def set_state(self, key: str, value: Any) -> None:
        pass


def _discover(config: GovukSearchSource, ctx: _Answers) -> list[Any]:
    async def go() -> list[Any]:
        return [item async for item in GovukSearch(config).discover(ctx, Window(date(2019, 4, 1), date(2019, 4, 30)))]

    return asyncio.run(go())


def _config(**extra: Any) -> GovukSearchSource:
    return GovukSearchSource(
        name="govuk", kind="govuk_search", base_url="https://www.gov.uk", query="institutes of technology", **extra
    )


def test_the_scope_is_the_news_and_communications_supergroup_unless_subgroups_are_given() -> None:
    ctx = _Answers(200, b'{"results": [], "total": 0}')
    _discover(_config(), ctx)
    sent = parse_qsl(urlsplit(ctx.asked[0]).query)
    assert ("filter_content_purpose_supergroup", "news_and_communications") in sent
    assert ("q", '"institutes of technology"') in sent
    ctx = _Answers(200, b'{"results": [], "total": 0}')
    _discover(_config(subgroups=["news", "speeches_and_statements"]), ctx)
    sent = parse_qsl(urlsplit(ctx.asked[0]).query)
    assert [v for k, v in sent if k == "filter_content_purpose_subgroup"] == ["news", "speeches_and_statements"]
    assert not any(k == "filter_content_purpose_supergroup" for k, _ in sent)


def test_a_backend_failure_is_reported_with_its_text() -> None:
    with pytest.raises(DiscoveryFailed, match=r"GOV\.UK Search API failed: Elasticsearch timed out"):
        _discover(_config(), _Answers(400, b"Elasticsearch timed out"))
