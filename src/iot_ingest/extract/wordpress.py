"""The WordPress family (FE Week, FE News, The Engineer, many college and trade sites): the theme
puts the post in `.entry-content` (or a known cousin) inside `article.post`, and WordPress itself
announces itself by its `generator` meta, its `wp-json` API link or `wp-content` assets."""

from __future__ import annotations

from dataclasses import replace

from lxml.html import HtmlElement

from iot_ingest.extract import generic
from iot_ingest.extract.article import Article
from iot_ingest.extract.main_content import find_main, prune_boilerplate
from iot_ingest.extract.page import Page
from iot_ingest.extract.text import clean_inline

__all__ = ["NAME", "VERSION", "extract", "matches"]

NAME = "wordpress"
VERSION = "1"

# Body containers of common themes, most specific first (Twenty*, Newspaper, Jannah, GeneratePress, ...).
_BODY_CLASSES = ("entry-content", "td-post-content", "post-content", "single-post-content", "article-content")
_MIN_BODY_CHARS = 200


def matches(page: Page) -> bool:
    if "wordpress" in page.meta.get("generator", "").lower():
        return True
    if page.link("https://api.w.org/") is not None:
        return True
    return any("/wp-content/" in (link.get("href") or "") for link in page.tree.iter("link"))


def extract(page: Page) -> Article:
    # Everything read from the page furniture (byline, title) before the body step prunes it.
    title = generic.generic_title(page) or _entry_title(page)
    authors = generic.generic_authors(page) or _byline_authors(page)
    article = generic.generic_article(page, NAME, VERSION, body=_body)
    return replace(article, title=title, authors=authors)


def _body(page: Page) -> str:
    root = page.tree.find("body")
    if root is None:
        root = page.tree
    prune_boilerplate(root)
    for name in _BODY_CLASSES:
        found = _by_class(root, name)
        if found is not None and len(clean_inline(found.text_content())) >= _MIN_BODY_CHARS:
            return generic.body_of(page, [found])
    return generic.body_of(page, find_main(root))


def _by_class(root: HtmlElement, name: str) -> HtmlElement | None:
    # The post's own container sits in `article.post`; a bare match elsewhere may be a widget.
    for scope in (".//article", "."):
        found = root.xpath(f"{scope}//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")
        if found:
            return found[0] if isinstance(found[0], HtmlElement) else None
    return None


def _entry_title(page: Page) -> str | None:
    found = page.first("//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]")
    return clean_inline(found.text_content()) or None if found is not None else None


def _byline_authors(page: Page) -> tuple[str, ...]:
    found = page.tree.xpath("//a[@rel='author'] | //*[contains(@class, 'author')]/a[contains(@class, 'fn')]")
    names = [clean_inline(a.text_content()) for a in found if isinstance(a, HtmlElement)]
    return tuple(dict.fromkeys(n for n in names if n))
