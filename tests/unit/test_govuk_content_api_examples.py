"""The Content API adapter on GOV.UK's own published examples (read from ../shared, not copied)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iot_ingest.extract import extract_article
from iot_ingest.extract.dates import parse_date

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "reference" / "govuk-content-api"
FILES = sorted(EXAMPLES.glob("content_api_*.json")) if EXAMPLES.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason=f"GOV.UK Content API examples not found at {EXAMPLES}")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
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
