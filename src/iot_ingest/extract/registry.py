"""The adapter registry: which extractor handles a response. One module per adapter, first match wins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from iot_ingest.extract import generic, govuk_content_api, govuk_page, wordpress
from iot_ingest.extract.article import Article
from iot_ingest.extract.decode import decode_html
from iot_ingest.extract.page import Page, parse_page

__all__ = ["ADAPTERS", "HtmlAdapter", "UnsupportedContent", "extract_article"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
_JSON_TYPES = frozenset({"application/json", "text/json"})


class UnsupportedContent(ValueError):
    """The response holds no article this product can read (an image, a feed, a CSV, ...)."""


@dataclass(frozen=True)
class HtmlAdapter:
    name: str
    version: str
    matches: Callable[[Page], bool]
    extract: Callable[[Page], Article]


# Most specific first; the generic adapter takes whatever is left.
ADAPTERS: tuple[HtmlAdapter, ...] = (
    HtmlAdapter(govuk_page.NAME, govuk_page.VERSION, govuk_page.matches, govuk_page.extract),
    HtmlAdapter(wordpress.NAME, wordpress.VERSION, wordpress.matches, wordpress.extract),
    HtmlAdapter(generic.NAME, generic.VERSION, generic.matches, generic.extract),
)


def extract_article(
    url: str, body: bytes, content_type: str = "text/html", *, fetched_at: datetime | None = None
) -> Article:
    """The article in one response. Pure: bytes in, article out.

    Raises UnsupportedContent for content that holds no article, ValueError for unreadable input.
    """
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in _JSON_TYPES or (mime == "" and govuk_content_api.matches_url(url)):
        if not govuk_content_api.matches_url(url):
            raise UnsupportedContent(f"no adapter for JSON from {url}")
        return govuk_content_api.extract_json(url, decode_html(body, content_type), fetched_at=fetched_at)
    if mime not in _HTML_TYPES:
        raise UnsupportedContent(f"not an article page: {mime}")
    page = parse_page(url, decode_html(body, content_type), fetched_at)
    for adapter in ADAPTERS:
        if adapter.matches(page):
            return adapter.extract(page)
    raise UnsupportedContent("no adapter matched")  # unreachable while generic is last
