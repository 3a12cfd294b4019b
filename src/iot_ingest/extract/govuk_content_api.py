"""GOV.UK Content API JSON (`/api/content/<path>`): the structured form of a GOV.UK page.

The article's identity is the page URL (`https://www.gov.uk<base_path>`), so the API response and
the HTML page of one item are one article.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from iot_ingest.extract.article import Article
from iot_ingest.extract.dates import parse_date, plausible
from iot_ingest.extract.text import block_text
from iot_ingest.urls import canonical_url

__all__ = ["NAME", "VERSION", "extract_json", "matches_url"]

NAME = "govuk_content_api"
VERSION = "2"


def matches_url(url: str) -> bool:
    """A Content API path; the host is whatever the source's base_url is (a mirror, a test fake)."""
    return urlsplit(url).path.startswith("/api/content/")


def extract_json(url: str, text: str, *, fetched_at: Any = None) -> Article:
    """Raises ValueError when the JSON is not a Content API content item."""
    item = json.loads(text)
    if not isinstance(item, dict) or not isinstance(item.get("base_path"), str):
        raise ValueError("not a GOV.UK Content API item (no base_path)")
    parts = urlsplit(url)
    page_url = canonical_url(f"{parts.scheme}://{parts.netloc}{item['base_path']}")
    details: dict[str, Any] = item["details"] if isinstance(item.get("details"), dict) else {}
    body_html = details.get("body") if isinstance(details.get("body"), str) else ""
    body = block_text(BeautifulSoup(body_html, "lxml")) if body_html else ""
    description = item.get("description") if isinstance(item.get("description"), str) else None
    published = parse_date(item.get("first_published_at") or details.get("first_public_at"))
    updated = parse_date(item.get("public_updated_at"))
    return Article(
        url=url,
        canonical_url=page_url,
        title=item.get("title") if isinstance(item.get("title"), str) else None,
        body_text="\n\n".join(part for part in (description, body) if part),
        published_at=published if plausible(published, not_after=fetched_at) else None,
        updated_at=updated if plausible(updated, not_after=fetched_at) else None,
        publisher="GOV.UK",
        extractor_version=f"{NAME}/{VERSION}",
        description=description,
        language=item.get("locale") if isinstance(item.get("locale"), str) else None,
        authors=_titles(item, "organisations"),
        withdrawn=bool(item.get("withdrawn_notice")),
        extraction_path="content-api",
    )


def _titles(item: dict[str, Any], link_type: str) -> tuple[str, ...]:
    links: dict[str, Any] = item["links"] if isinstance(item.get("links"), dict) else {}
    entries: list[Any] = links[link_type] if isinstance(links.get(link_type), list) else []
    return tuple(str(e["title"]) for e in entries if isinstance(e, dict) and isinstance(e.get("title"), str))
