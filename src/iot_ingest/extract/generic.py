"""The generic adapter: any news page, from JSON-LD, meta tags and the article element.

Its helpers (`generic_*`) are shared by the site adapters, which override only what differs.
"""

from __future__ import annotations

import re
from datetime import datetime

from bs4 import Tag

from iot_ingest.extract.article import Article
from iot_ingest.extract.dates import parse_date, plausible
from iot_ingest.extract.page import Page
from iot_ingest.extract.text import block_text, clean_inline, inline_text, strip_boilerplate
from iot_ingest.urls import resolve_canonical

__all__ = [
    "NAME",
    "VERSION",
    "extract",
    "generic_body",
    "generic_published_at",
    "generic_title",
    "generic_updated_at",
    "matches",
]

NAME = "generic"
VERSION = "1"

_BODY_SELECTORS = (
    "[itemprop=articleBody]",
    ".entry-content",
    ".post-content",
    ".article-body",
    ".article__body",
    ".article-content",
    ".story-body",
    ".content-body",
)
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:]\s+[^|\-–—:]{2,40}$")
_PUBLISHED_META = (
    "article:published_time",
    "govuk:first-published-at",
    "og:published_time",
    "datepublished",
    "publish-date",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)
_UPDATED_META = (
    "article:modified_time",
    "govuk:updated-at",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
)
_VISIBLE_PUBLISHED = re.compile(r"\b(?:published|posted|first published)(?:\s+on)?:?\s+(.{6,40})", re.IGNORECASE)
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})/(\d{1,2})/(\d{1,2})/")


def matches(page: Page) -> bool:
    return True


def extract(page: Page) -> Article:
    # Dates first: the body step removes page furniture (headers with bylines and times) in place.
    published_at, updated_at = generic_published_at(page), generic_updated_at(page)
    return Article(
        url=page.url,
        canonical_url=resolve_canonical(page.url, page.link("canonical"), page.meta.get("og:url")),
        title=generic_title(page),
        body_text=generic_body(page),
        published_at=published_at,
        updated_at=updated_at,
        publisher=page.publisher_name,
        extractor_version=f"{NAME}/{VERSION}",
        description=page.ld_text("description") or page.meta.get("og:description") or page.meta.get("description"),
        language=page.language,
        authors=generic_authors(page),
    )


def generic_title(page: Page) -> str | None:
    ld = page.ld_text("headline", "headLine", "name")
    if ld:
        return clean_inline(ld)
    og = page.meta.get("og:title") or page.meta.get("twitter:title")
    if og:
        return clean_inline(og)
    h1 = page.soup.find("h1")
    if isinstance(h1, Tag) and inline_text(h1):
        return inline_text(h1)
    title = page.soup.find("title")
    if isinstance(title, Tag):
        text = clean_inline(title.get_text(" "))
        return _TITLE_SUFFIX.sub("", text) or None
    return None


def generic_published_at(page: Page) -> datetime | None:
    candidates: list[str | None] = [page.ld_text("datePublished", "dateCreated")]
    candidates += [page.meta.get(key) for key in _PUBLISHED_META]
    for tag in page.soup.select("[itemprop=datePublished]"):
        candidates.append(_attr(tag, "content") or _attr(tag, "datetime") or tag.get_text(" "))
    container = _body_container(page)
    scopes = [container, page.soup] if container is not None else [page.soup]
    for scope in scopes:
        for time_tag in scope.find_all("time"):
            candidates.append(_attr(time_tag, "datetime") or time_tag.get_text(" "))
        for text in scope.find_all(string=_VISIBLE_PUBLISHED, limit=3):
            match = _VISIBLE_PUBLISHED.search(str(text))
            if match:
                candidates.append(match.group(1))
    url_date = _URL_DATE.search(page.url)
    if url_date:
        candidates.append("-".join(f"{int(part):02d}" for part in url_date.groups()))
    return _first_plausible(page, candidates)


def generic_updated_at(page: Page) -> datetime | None:
    candidates: list[str | None] = [page.ld_text("dateModified")]
    candidates += [page.meta.get(key) for key in _UPDATED_META]
    return _first_plausible(page, candidates)


def generic_authors(page: Page) -> tuple[str, ...]:
    author = page.news_ld.get("author")
    people = author if isinstance(author, list) else [author]
    names = [str(p.get("name")).strip() for p in people if isinstance(p, dict) and p.get("name")]
    if not names and page.meta.get("author"):
        names = [page.meta["author"]]
    return tuple(dict.fromkeys(n for n in names if n))


def generic_body(page: Page) -> str:
    container = _body_container(page)
    if container is None:
        return ""
    strip_boilerplate(container)
    return block_text(container)


def _body_container(page: Page) -> Tag | None:
    """The element holding the article text: a known body selector, the richest `<article>`, or
    the element whose own paragraphs hold the most text."""
    for selector in _BODY_SELECTORS:
        found = page.soup.select_one(selector)
        if isinstance(found, Tag) and _paragraph_chars(found) >= 200:
            return found
    articles = [a for a in page.soup.find_all("article") if isinstance(a, Tag)]
    if articles:
        best = max(articles, key=_paragraph_chars)
        if _paragraph_chars(best) >= 200:
            return best
    scores: dict[int, tuple[int, Tag]] = {}
    for paragraph in page.soup.find_all("p"):
        parent = paragraph.parent
        if isinstance(parent, Tag):
            chars = len(clean_inline(paragraph.get_text(" ")))
            total, _ = scores.get(id(parent), (0, parent))
            scores[id(parent)] = (total + chars, parent)
    if not scores:
        body = page.soup.find("body")
        return body if isinstance(body, Tag) else None
    return max(scores.values(), key=lambda item: item[0])[1]


def _paragraph_chars(tag: Tag) -> int:
    return sum(len(p.get_text(" ").strip()) for p in tag.find_all("p"))


def _attr(tag: Tag, name: str) -> str | None:
    value = tag.get(name)
    return value if isinstance(value, str) else None


def _first_plausible(page: Page, candidates: list[str | None]) -> datetime | None:
    for candidate in candidates:
        when = parse_date(candidate)
        if plausible(when, not_after=page.fetched_at):
            return when
    return None
