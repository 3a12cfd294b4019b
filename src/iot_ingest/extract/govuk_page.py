"""GOV.UK pages (www.gov.uk): publishing components with stable class names."""

from __future__ import annotations

import copy
from datetime import datetime
from urllib.parse import urlsplit

from bs4 import Tag

from iot_ingest.extract import generic
from iot_ingest.extract.article import Article
from iot_ingest.extract.body import Body
from iot_ingest.extract.dates import parse_date, plausible
from iot_ingest.extract.page import Page
from iot_ingest.extract.text import block_text, clean_inline, inline_text, strip_boilerplate
from iot_ingest.urls import resolve_canonical

__all__ = ["NAME", "VERSION", "extract", "matches"]

NAME = "govuk_page"
VERSION = "3"

_TITLE = ("h1.gem-c-heading__text", "h1.gem-c-title__text", ".gem-c-title__text", "h1")
_BODY = ("div.gem-c-govspeak", "div.govuk-govspeak", ".govspeak")


def matches(page: Page) -> bool:
    host = (urlsplit(page.url).hostname or "").lower()
    return host in {"www.gov.uk", "gov.uk"} or "govuk:format" in page.meta


def extract(page: Page) -> Article:
    withdrawn = page.soup.select_one(".gem-c-notice--withdrawn, .govuk-notification-banner--withdrawn")
    published_at, updated_at = _published(page), _updated(page)
    body = _body(page)
    return Article(
        url=page.url,
        canonical_url=resolve_canonical(page.url, page.link("canonical"), page.meta.get("og:url")),
        title=_title(page),
        body_text=body.text,
        published_at=published_at,
        updated_at=updated_at,
        publisher="GOV.UK",
        extractor_version=f"{NAME}/{VERSION}",
        description=page.meta.get("description") or page.meta.get("og:description"),
        language=page.language,
        authors=_organisations(page),
        withdrawn=withdrawn is not None,
        extraction_path=body.path,
    )


def _title(page: Page) -> str | None:
    for selector in _TITLE:
        found = page.soup.select_one(selector)
        if isinstance(found, Tag) and inline_text(found):
            return inline_text(found)
    return generic.generic_title(page)


def _body(page: Page) -> Body:
    lead = page.soup.select_one("p.gem-c-lead-paragraph, .gem-c-lead-paragraph")
    parts = [inline_text(copy.copy(lead))] if isinstance(lead, Tag) else []
    for selector in _BODY:
        found = page.soup.select_one(selector)
        if isinstance(found, Tag):
            # A copy: the page's soup stays whole for the steps that read the metadata list.
            govspeak = copy.copy(found)
            strip_boilerplate(govspeak)
            parts.append(block_text(govspeak))
            path = "govspeak"
            break
    else:
        fallback = generic.generic_body(page)
        parts.append(fallback.text)
        path = fallback.path
    return Body("\n\n".join(part for part in parts if part), path)


def _published(page: Page) -> datetime | None:
    for candidate in (
        page.meta.get("govuk:first-published-at"),
        page.ld_text("datePublished"),
        _metadata_value(page, "published"),
    ):
        when = parse_date(candidate)
        if plausible(when, not_after=page.fetched_at):
            return when
    return generic.generic_published_at(page)


def _updated(page: Page) -> datetime | None:
    for candidate in (
        page.meta.get("govuk:public-updated-at"),
        page.ld_text("dateModified"),
        _metadata_value(page, "last updated"),
    ):
        when = parse_date(candidate)
        if plausible(when, not_after=page.fetched_at):
            return when
    return None


def _metadata_value(page: Page, label: str) -> str | None:
    """The value after a `<dt>` label in GOV.UK's metadata list, e.g. "Published" -> "10 April 2019"."""
    for term in page.soup.select("dl.gem-c-metadata__list dt, .gem-c-metadata dt"):
        if clean_inline(term.get_text(" ")).rstrip(":").lower() == label:
            value = term.find_next_sibling("dd")
            if isinstance(value, Tag):
                return clean_inline(value.get_text(" "))
    return None


def _organisations(page: Page) -> tuple[str, ...]:
    for term in page.soup.select("dl.gem-c-metadata__list dt, .gem-c-metadata dt"):
        if clean_inline(term.get_text(" ")).rstrip(":").lower() == "from":
            value = term.find_next_sibling("dd")
            if isinstance(value, Tag):
                names = [clean_inline(a.get_text(" ")) for a in value.find_all("a")]
                return tuple(n for n in names if n)
    return ()
