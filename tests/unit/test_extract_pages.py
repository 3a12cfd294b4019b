"""Extraction of the bundled sample pages against the expectations written with them (manifest.toml)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from iot_ingest.demo import sample_pages
from iot_ingest.extract import extract_article
from tests.support.topics import relevance_of

PAGES = sample_pages()


def _pages() -> list[dict[str, Any]]:
    import tomllib

    pages: list[dict[str, Any]] = tomllib.loads(PAGES.joinpath("manifest.toml").read_text("utf-8"))["page"]
    return pages


@pytest.fixture(params=_pages(), ids=lambda page: page["file"])
def page(request: pytest.FixtureRequest) -> dict[str, Any]:
    value: dict[str, Any] = request.param
    return value


def _extract(page: dict[str, Any]) -> Any:
    body = PAGES.joinpath(page["file"]).read_bytes()
    fetched = datetime.fromisoformat(page["fetched_at"].replace("Z", "+00:00"))
    return extract_article(page["url"], body, page["content_type"], fetched_at=fetched)


def test_title(page: dict[str, Any]) -> None:
    assert _extract(page).title == page["title"]


def test_published_at(page: dict[str, Any]) -> None:
    assert _extract(page).published_at == datetime.fromisoformat(page["published_at"])


def test_body_keeps_the_article(page: dict[str, Any]) -> None:
    text = _extract(page).body_text
    for sentence in page["body_must_contain"]:
        assert sentence in text


def test_body_leaves_out_the_page_furniture(page: dict[str, Any]) -> None:
    text = _extract(page).body_text
    for furniture in page["body_must_not_contain"]:
        assert furniture not in text


def test_paragraph_breaks_are_kept(page: dict[str, Any]) -> None:
    assert "\n\n" in _extract(page).body_text


def test_relevance(page: dict[str, Any]) -> None:
    article = _extract(page)
    assert relevance_of(article.title, article.body_text).relevant is page["relevant"]


@pytest.mark.parametrize(
    "html_page",
    [p for p in _pages() if p["content_type"].startswith("text/html")],
    ids=lambda page: page["file"],
)
def test_canonical_url_is_the_page_url_for_every_variant(html_page: dict[str, Any]) -> None:
    from iot_ingest.urls import canonical_url

    page = html_page
    body = PAGES.joinpath(page["file"]).read_bytes()
    assert extract_article(page["url"], body, page["content_type"]).canonical_url == canonical_url(page["url"])
    expected = canonical_url(page["url"])
    for url in page.get("extra_urls", []):
        article = extract_article(url, body, page["content_type"])
        if "tes.com" in url:
            # No canonical link on this page: the archive path is its own URL, merged later by text.
            assert article.canonical_url == canonical_url(url)
        else:
            assert article.canonical_url == expected


def test_govuk_content_api_item_is_the_same_article_as_its_page() -> None:
    (api,) = [p for p in _pages() if p["content_type"].startswith("application/json")]
    article = _extract(api)
    assert article.canonical_url.startswith("https://www.gov.uk/government/news/")
    assert article.extractor_version.startswith("govuk_content_api/")
    html = [p for p in _pages() if p["file"] == api["file"].replace(".json", ".html")]
    if html:
        assert _extract(html[0]).canonical_url == article.canonical_url
