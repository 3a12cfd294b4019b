"""The Content API adapter on GOV.UK's own published examples (read from ../shared, not copied)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iot_ingest.extract import extract_article
from iot_ingest.extract.dates import parse_date
from iot_ingest.extract.govuk_content_api import NotAnArticle, item_status, redirect_target

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "reference" / "govuk-content-api"
FILES = sorted(EXAMPLES.glob("content_api_*.json")) if EXAMPLES.is_dir() else []
ARTICLES = [p for p in FILES if not p.name.startswith(("content_api_redirect_", "content_api_gone_"))]

pytestmark = pytest.mark.skipif(not FILES, reason=f"GOV.UK Content API examples not found at {EXAMPLES}")


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_content_api_example(path: Path) -> None:
    item = json.loads(path.read_text("utf-8"))
    url = f"https://www.gov.uk/api/content{item['base_path']}"
    article = extract_article(url, path.read_bytes(), "application/json")
    assert article.canonical_url == f"https://www.gov.uk{item['base_path']}"
    assert article.title == item["title"]
    # The publication date is first_published_at, never public_updated_at.
    assert article.published_at == parse_date(item["first_published_at"])
    assert article.withdrawn is bool(item.get("withdrawn_notice"))
    organisations = [o["title"] for o in item.get("links", {}).get("organisations", [])]
    assert list(article.authors) == organisations
    assert article.body_text, "the body HTML became text"
    assert "<p>" not in article.body_text


def _example(name: str) -> tuple[str, bytes]:
    data = (EXAMPLES / name).read_bytes()
    return f"https://www.gov.uk/api/content{json.loads(data)['base_path']}", data


def test_a_redirect_item_is_no_article_and_names_its_destination() -> None:
    url, data = _example("content_api_redirect__redirect.json")
    with pytest.raises(NotAnArticle):
        extract_article(url, data, "application/json")
    status = item_status(url, 200, data)
    assert status is not None and status.status == "redirected"
    assert status.page_url == "https://www.gov.uk/406beacon"
    assert (
        status.destination
        == "https://www.gov.uk/maritime-safety-weather-and-navigation/register-406-mhz-beacons?query=answer"
    )


def test_a_prefix_redirect_keeps_the_rest_of_the_path() -> None:
    item = json.loads((EXAMPLES / "content_api_redirect__redirect.json").read_bytes())
    assert redirect_target("/406beacon/prefix/a/b", item["redirects"]) == "/new-406-beacons-destination/a/b"
    ignore = [{"path": "/old", "type": "prefix", "destination": "/new", "segments_mode": "ignore"}]
    assert redirect_target("/old/deeper", ignore) == "/new"


@pytest.mark.parametrize(
    ("name", "alternative"),
    [
        ("content_api_gone__gone.json", None),
        ("content_api_gone__gone_with_alternative_path.json", "https://www.gov.uk/government/example"),
    ],
)
def test_a_gone_item_is_no_article_and_keeps_its_explanation(name: str, alternative: str | None) -> None:
    url, data = _example(name)
    with pytest.raises(NotAnArticle):
        extract_article(url, data, "application/json")
    status = item_status(url, 200, data)
    assert status is not None and status.status == "gone"
    assert status.detail == "Incorrect title" and status.destination == alternative


def test_a_410_is_gone_and_a_withdrawn_item_is_still_an_article() -> None:
    gone = item_status("https://www.gov.uk/api/content/government/news/old", 410, b"")
    assert gone is not None and gone.status == "gone" and gone.page_url == "https://www.gov.uk/government/news/old"
    assert item_status("https://www.gov.uk/api/content/government/news/old", 404, b"") is None
    url, data = _example("content_api_news_article__news_article_withdrawn.json")
    assert extract_article(url, data, "application/json").withdrawn
    status = item_status(url, 200, data)
    assert status is not None and status.status == "withdrawn"
    assert status.detail == "We’ve withdrawn this news article"
