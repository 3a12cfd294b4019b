"""The demo's GOV.UK answers as the real one does (any-word q, phrases, redirect and gone items,
410, 303 below an item, empty-body 404), while the demo's own search still finds what it did."""

from __future__ import annotations

import httpx
import pytest

from iot_ingest.demo.sites import GOVUK_HOST, DemoSites

pytestmark = pytest.mark.integration

TWELVE = "/government/news/the-first-twelve-institutes-of-technology-announced"


def test_the_demo_govuk_behaves_like_govuk() -> None:
    with DemoSites(first_port=0) as sites, httpx.Client(timeout=5) as client:
        base = sites.sites[GOVUK_HOST].base

        def search(**params: str) -> list[str]:
            found = client.get(f"{base}/api/search.json", params={"count": "50", **params}).json()
            return [r["link"] for r in found["results"]]

        phrase = search(q='"institutes of technology"', filter_content_purpose_supergroup="news_and_communications")
        assert len(phrase) == 3 and TWELVE in phrase
        assert set(search(q="technology skills")) >= set(phrase), "any one word matches"
        assert search(q="technology", filter_content_purpose_subgroup="speeches_and_statements") == []
        assert search(q='"wave two winners announced"') == []

        missing = client.get(f"{base}/api/content/government/news/nowhere")
        assert missing.status_code == 404 and missing.content == b""
        below = client.get(f"{base}/api/content{TWELVE}/annex-a")
        assert below.status_code == 303 and below.headers["location"] == f"/api/content{TWELVE}"
        moved = client.get(f"{base}/api/content/government/news/first-12-institutes-of-technology-announced").json()
        assert moved["schema_name"] == "redirect" and moved["redirects"][0]["destination"] == TWELVE
        gone = client.get(f"{base}/api/content/government/news/institutes-of-technology-competition-launch-date")
        assert gone.json()["schema_name"] == "gone" and "Published in error" in gone.json()["details"]["explanation"]
        assert (
            client.get(f"{base}/api/content/government/news/institutes-of-technology-draft-prospectus").status_code
            == 410
        )
        assert client.get(f"{base}/government/news/institutes-of-technology-draft-prospectus").status_code == 410
