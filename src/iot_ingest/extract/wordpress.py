"""The WordPress family (FE Week, FE News, The Engineer, many college and trade sites): the theme
puts the post in `.entry-content` (or a known cousin) inside `article.post`, and WordPress itself
announces itself by its `generator` meta, its `wp-json` API link or `wp-content` assets."""

from __future__ import annotations

from dataclasses import replace

from lxml.html import HtmlElement

from iot_ingest.extract import generic
from iot_ingest.extract.article import Article
from iot_ingest.extract.body import Body, select_body
from iot_ingest.extract.page import Page
from iot_ingest.extract.text import clean_inline

__all__ = ["NAME", "VERSION", "extract", "matches"]

NAME = "wordpress"
VERSION = "3"

# Body containers of common themes, most specific first (Twenty*, Newspaper, Jannah, GeneratePress, ...).
_BODY_CLASSES = ("entry-content", "td-post-content", "post-content", "single-post-content", "article-content")


def matches(page: Page) -> bool:
    if "wordpress" in page.meta.get("generator", "").lower():
        return True
    if page.link("https://api.w.org/") is not None:
        return True
    return any("/wp-content/" in (link.get("href") or "") for link in page.tree.iter("link"))


def extract(page: Page) -> Article:
    article = generic.generic_article(page, NAME, VERSION, body=_body)
    title = article.title or _entry_title(page)
    return replace(article, title=title, authors=article.authors or _byline_authors(page))


def _body(page: Page) -> Body:
    return select_body(page, containers=_BODY_CLASSES)


def _entry_title(page: Page) -> str | None:
    found = page.first("//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]")
    return clean_inline(found.text_content()) or None if found is not None else None


def _byline_authors(page: Page) -> tuple[str, ...]:
    found = page.tree.xpath("//a[@rel='author'] | //*[contains(@class, 'author')]/a[contains(@class, 'fn')]")
    names = [clean_inline(a.text_content()) for a in found if isinstance(a, HtmlElement)]
    return tuple(dict.fromkeys(n for n in names if n))
