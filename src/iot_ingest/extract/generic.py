"""The generic adapter: any news page, from JSON-LD, meta tags and the densest text block.

Its helpers (`generic_*`) are shared by the site adapters, which override only what differs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from iot_ingest.extract.article import Article
from iot_ingest.extract.body import Body, select_body
from iot_ingest.extract.dates import parse_date, plausible
from iot_ingest.extract.furniture import is_other_place_name
from iot_ingest.extract.page import Page
from iot_ingest.extract.text import clean_inline
from iot_ingest.urls import resolve_canonical

__all__ = [
    "NAME",
    "VERSION",
    "extract",
    "generic_article",
    "generic_authors",
    "generic_body",
    "generic_description",
    "generic_published_at",
    "generic_title",
    "generic_updated_at",
    "matches",
]

NAME = "generic"
VERSION = "4"

_SITE_SUFFIX = re.compile(r"\s+[|\-–—·]\s+\S.{0,60}")
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:]\s+[^|\-–—:]{2,40}$")
_PUBLISHED_META = (
    "article:published_time",
    "govuk:first-published-at",
    "og:published_time",
    "datepublished",
    "publish-date",
    "publishdate",
    "publish_date",
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
_VISIBLE_PUBLISHED = re.compile(r"\b(?:first published|published|posted)(?:\s+on)?:?\s+(.{6,40})", re.IGNORECASE)
# Words that mark a date as a revision's, in the languages of the reference sets: never a publication.
_MODIFIED = re.compile(
    r"^\W*(?:last\s+)?(?:updated|modified|revised|edited|aktualisiert|geändert|stand|modifié|mis à jour|"
    r"actualizado|actualizada|aggiornato|bijgewerkt|oppdatert|opdateret|uppdaterad|päivitetty|zaktualizowano|"
    r"aktualizováno|güncellendi|更新)",
    re.IGNORECASE,
)
_MODIFIED_NAMES = re.compile(r"modif|updat|revis|edited", re.IGNORECASE)
_VISIBLE_XPATH = (
    "//body//text()[contains(., 'ublished') or contains(., 'UBLISHED') or contains(., 'osted') or contains(., 'OSTED')]"
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[^\d])")
_URL_DAY_FIRST = re.compile(r"/(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])((?:19|20)\d{2})(?:/|$)")
_URL_YEAR_SLASH_MONTH_DAY = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/")
_LINES_ABOVE_HEADLINE = 3
_DATELINE_CHARS = 80  # a longer text is prose, whose dates are of events, not of publication
_OTHER_TAGS = frozenset({"aside", "nav", "footer"})
_TITLE_DATE_CHARS = 20


def matches(page: Page) -> bool:
    return True


def extract(page: Page) -> Article:
    return generic_article(page, NAME, VERSION)


def generic_article(page: Page, name: str, version: str, body: Callable[[Page], Body] | None = None) -> Article:
    """The article from metadata and the body step given (the generic one by default)."""
    found = (body or generic_body)(page)
    return Article(
        url=page.url,
        canonical_url=resolve_canonical(page.url, page.link("canonical"), page.meta.get("og:url")),
        title=generic_title(page),
        body_text=found.text,
        published_at=generic_published_at(page),
        updated_at=generic_updated_at(page),
        publisher=page.publisher_name,
        extractor_version=f"{name}/{version}",
        description=generic_description(page),
        language=page.language,
        authors=generic_authors(page),
        extraction_path=found.path,
    )


def generic_title(page: Page) -> str | None:
    """The headline from JSON-LD, Open Graph, the page's `<h1>` or its `<title>`; metadata with the
    site's name appended ("... | Sport", "... - Golem.de") gives way to the visible headline it ends."""
    h1 = page.first("//body//h1")
    visible = clean_inline(h1.text_content()) if h1 is not None else ""
    for found in (
        page.ld_text("headline", "headLine", "name"),
        page.meta.get("og:title"),
        page.meta.get("twitter:title"),
    ):
        if found:
            title = clean_inline(html.unescape(found))
            if visible and title.startswith(visible) and _SITE_SUFFIX.fullmatch(title[len(visible) :]):
                return visible
            return title
    if visible:
        return visible
    if page.title_tag:
        return _TITLE_SUFFIX.sub("", clean_inline(page.title_tag)) or None
    return None


def generic_description(page: Page) -> str | None:
    found = page.ld_text("description") or page.meta.get("og:description") or page.meta.get("description")
    return clean_inline(found) if found else None


def generic_published_at(page: Page) -> datetime | None:
    """The best-placed plausible publication date; dates in lists of other articles, comments and
    revision notes never count. The precedence, first plausible one wins:

    1. JSON-LD `datePublished` (then `dateCreated`) of the page's own article object (`Page.news_ld`:
       any Article subtype, the one whose URL is the page's first): the publisher's structured
       statement about this article, where Open Graph is often the site template's;
    2. meta tags: `article:published_time`, `govuk:first-published-at`, Dublin Core, Parse.ly, ...;
    3. microdata `itemprop=datePublished`;
    4. a `<time>` in the article (not one marked as a modification: `dateModified`, `updated`);
    5. a visible "Published ..." / "Posted on ..." line;
    6. a short date line next to the headline (not one saying "Updated ...");
    7. a `<time>` elsewhere on the page, outside lists of other articles;
    8. a date that is a segment of its own in the title ("... | DW | 28.04.2023");
    9. the URL's date.

    `dateModified`, `article:modified_time` and their kind are `updated_at`, never `published_at`.
    Candidates come best-placed first, so the costlier scans of visible text run only on pages
    without metadata."""
    return _best(page, _published_candidates(page))


def _published_candidates(page: Page) -> Iterator[str | None]:
    yield page.ld_text("datePublished", "dateCreated")
    for key in _PUBLISHED_META:
        yield page.meta.get(key)
    for element in page.tree.xpath("//*[@itemprop='datePublished']"):
        yield element.get("content") or element.get("datetime") or element.text_content()
    elsewhere: list[str | None] = []
    for element in page.tree.iter("time"):
        if _revision(element):
            continue  # a revision's date, printed beside the publication's
        if _own_place(element):
            value = element.get("datetime") or element.text_content()
            if _in_article(element):
                yield value
            else:
                elsewhere.append(value)
    for text in page.tree.xpath(_VISIBLE_XPATH)[:5]:
        parent = text.getparent()
        match = _VISIBLE_PUBLISHED.search(str(text))
        if match and parent is not None and _own_place(parent):
            yield match.group(1)
    yield from _near_headline(page)
    yield from elsewhere
    yield from _title_dates(page)
    yield _url_date(page.url)


def _near_headline(page: Page) -> Iterator[str]:
    """Short lines of text printed around the page's headline (a Blogger "Posted on April 10, 2019
    by staff", a bare "9 October 2020" above the title): in the headline's block, widened two levels,
    the lines between the headline and the first paragraph of prose, then the few just above it."""
    headlines = list(page.tree.iter("h1"))
    # The page's own headline; a theme may still wrap it in a block named like a teaser.
    headline = next((h for h in headlines if _own_place(h)), headlines[0] if len(headlines) == 1 else None)
    if headline is None:
        return
    block = headline.getparent()
    for _ in range(3):
        if block is None or block.tag in {"body", "html"}:
            return
        above: list[str] = []
        below: list[str] = []
        seen_headline = False
        for text in block.xpath(".//text()"):
            value, parent = str(text).strip(), text.getparent()
            if parent is None or not value:
                continue
            if (parent is headline and not text.is_tail) or headline in parent.iterancestors():
                seen_headline = True
                continue
            if seen_headline and len(value) > _DATELINE_CHARS:
                break  # the body has begun: dates in prose are of events, not of publication
            if (
                6 <= len(value) <= _DATELINE_CHARS
                and not _MODIFIED.match(value)
                and not _revision(parent)
                and _own_place(parent, within=block)
            ):
                (below if seen_headline else above).append(value)
        yield from below
        yield from above[-_LINES_ABOVE_HEADLINE:]
        block = block.getparent()


def _title_dates(page: Page) -> Iterator[str]:
    """A date printed as a segment of its own in the page's title, where some sites put the day of
    publication: "Ukrainische Gegenoffensive | Europa | DW | 28.04.2023"."""
    for title in (page.meta.get("og:title"), page.title_tag):
        for segment in (title or "").split("|")[1:]:
            value = segment.strip()
            if 6 <= len(value) <= _TITLE_DATE_CHARS:
                yield value


def _url_date(url: str) -> str | None:
    """A date in the URL's path: /2019/04/10/ or /2019-04-10, a /10042019/ segment (day first) or
    /2019/0410/."""
    path = urlsplit(url).path
    found = _URL_DATE.search(path)
    if found:
        return "-".join(f"{int(part):02d}" for part in found.groups())
    compact = _URL_DAY_FIRST.search(path)
    if compact:
        day, month, year = compact.groups()
        return f"{year}-{month}-{day}"
    compact = _URL_YEAR_SLASH_MONTH_DAY.search(path)
    if compact:
        return "-".join(compact.groups())
    return None


def generic_updated_at(page: Page) -> datetime | None:
    return _best(page, [page.ld_text("dateModified"), *(page.meta.get(key) for key in _UPDATED_META)])


def generic_authors(page: Page) -> tuple[str, ...]:
    author = page.news_ld.get("author")
    people = author if isinstance(author, list) else [author]
    names = [str(p.get("name")).strip() for p in people if isinstance(p, dict) and p.get("name")]
    names += [p.strip() for p in people if isinstance(p, str)]
    if not names and page.meta.get("author"):
        names = [page.meta["author"]]
    return tuple(dict.fromkeys(clean_inline(n) for n in names if n and not n.startswith("http")))


def generic_body(page: Page) -> Body:
    return select_body(page)


def _own_place(element: HtmlElement, within: HtmlElement | None = None) -> bool:
    """Not inside a list of other articles, a comment, a sidebar or a footer (looking no further up
    than `within`, a block already known to be the article's own)."""
    node: HtmlElement | None = element
    depth = 0
    while node is not None and node is not within and depth < 12:
        if node.tag in _OTHER_TAGS:
            return False
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        if is_other_place_name(names):
            return False
        node = node.getparent()
        depth += 1
    return True


def _revision(element: HtmlElement) -> bool:
    """Whether an element prints a revision's date: named so (`updated`, `dateModified`) or saying so."""
    marks = f"{element.get('class') or ''} {element.get('itemprop') or ''} {element.get('id') or ''}"
    return bool(_MODIFIED_NAMES.search(marks)) or (
        element.tag == "time" and bool(_MODIFIED.match(element.text_content()))
    )


def _in_article(element: HtmlElement) -> bool:
    return any(ancestor.tag in {"article", "main"} for ancestor in element.iterancestors())


def _best(page: Page, candidates: Iterable[str | None]) -> datetime | None:
    for text in candidates:
        when = parse_date(text)
        if plausible(when, not_after=page.fetched_at):
            return when
    return None
