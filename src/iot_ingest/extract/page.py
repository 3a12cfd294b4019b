"""A fetched HTML page parsed once: its lxml tree, metadata and JSON-LD, and soups for the adapters.

The page is parsed once by lxml (C, about a millisecond) with dead weight (scripts, styles, SVG,
comments) dropped in the parse. Adapters read metadata from dictionaries and take BeautifulSoup
(lxml parser) views of what they need: `fragment` for one element such as the article body,
`soup` for the whole page (several times the cost, for adapters that must query all of it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from bs4 import BeautifulSoup
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from iot_ingest.extract.crosscheck import SecondOpinion, second_opinion

__all__ = ["Page", "parse_page"]

# Never text, often most of the bytes.
_DEAD = ("script", "style", "svg", "noscript", "template", "iframe", "object", "embed", "canvas", "math")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_PAYLOAD_PARAGRAPHS = 3  # paragraph tags a script must carry to be worth reading as a payload
_PARSER = HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")


@dataclass
class Page:
    url: str
    tree: HtmlElement  # the whole document, dead weight removed
    fetched_at: datetime | None = None
    ld_scripts: list[str] = field(default_factory=list)  # raw JSON-LD texts, taken before the pruning
    # Scripts carrying article markup as data (a framework's hydration payload), taken before the pruning.
    payloads: list[str] = field(default_factory=list)
    # The decoded markup as fetched, for the second opinion, which parses it its own way.
    html: str = field(default="", repr=False)

    @cached_property
    def meta(self) -> dict[str, str]:
        """`<meta>` content by lower-cased name or property; the first occurrence wins."""
        found: dict[str, str] = {}
        for tag in self.tree.iter("meta"):
            key = tag.get("property") or tag.get("name") or tag.get("itemprop")
            content = tag.get("content")
            if key and content is not None:
                found.setdefault(key.strip().lower(), content.strip())
        return found

    @cached_property
    def json_ld(self) -> list[dict[str, Any]]:
        """Every top-level JSON-LD object on the page: arrays and `@graph` members flattened (a
        `@graph` may sit under an object whose `@context` is itself an object or an array), CDATA
        and comment wrappers that some templates put around the JSON removed."""
        objects: list[dict[str, Any]] = []
        for raw in self.ld_scripts:
            data = _json(raw)
            stack = data if isinstance(data, list) else [data]
            while stack:
                item = stack.pop(0)
                if isinstance(item, list):
                    stack.extend(item)
                elif isinstance(item, dict):
                    objects.append(item)
                    graph = item.get("@graph")
                    if isinstance(graph, list | dict):
                        stack.extend(graph if isinstance(graph, list) else [graph])
        return objects

    @cached_property
    def news_ld(self) -> dict[str, Any]:
        """The page's own article object in JSON-LD, if any ({} otherwise): an `Article` of any
        subtype (`NewsArticle`, `BlogPosting`, `LiveBlogPosting`, `SocialMediaPosting`,
        `ReportageNewsArticle`, ...), else another creative work that says when it was published (a
        `ClaimReview`, a `WebPage`). Among several, the one whose URL is the page's comes first:
        a page's JSON-LD may list other stories too."""
        ranked = sorted(
            (obj for obj in self.json_ld if _rank(obj) < _NOT_A_WORK),
            key=lambda obj: (_rank(obj), not self._is_own(obj)),
        )
        return ranked[0] if ranked else {}

    def _is_own(self, obj: dict[str, Any]) -> bool:
        own = self.url.split("#")[0].split("?")[0].rstrip("/")
        for key in ("url", "mainEntityOfPage", "@id"):
            value = obj.get(key)
            if isinstance(value, dict):
                value = value.get("@id") or value.get("url")
            if isinstance(value, str) and value.split("#")[0].split("?")[0].rstrip("/") == own:
                return True
        return False

    def ld_text(self, *keys: str) -> str | None:
        for key in keys:
            value = self.news_ld.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None

    def link(self, rel: str) -> str | None:
        for tag in self.tree.iter("link"):
            rels = (tag.get("rel") or "").lower().split()
            href = (tag.get("href") or "").strip()
            if rel in rels and href:
                return href
        return None

    def first(self, xpath: str) -> HtmlElement | None:
        """The first element an XPath finds, searched in C over the whole page."""
        found = self.tree.xpath(xpath)
        return found[0] if found and isinstance(found[0], HtmlElement) else None

    def fragment(self, element: HtmlElement) -> BeautifulSoup:
        """One element as a soup (lxml parser): the article body handed to BeautifulSoup, not the page.

        Attributes other than links' are dropped from the element in place first (the soup builds
        faster, and nothing reads them there), and a `<br>` becomes the space a reader sees: take
        fragments after reading what the tree's attributes say."""
        for node in element.iter(etree.Element):
            href = node.get("href") if node.tag == "a" else None
            node.attrib.clear()
            if href is not None:
                node.set("href", href)
            if node.tag == "br":
                node.tail = " " + (node.tail or "")
        markup = etree.tostring(element, encoding="unicode", method="html", with_tail=False)
        return BeautifulSoup(markup, "lxml", multi_valued_attributes=None)

    @cached_property
    def second_opinion(self) -> SecondOpinion:
        """Resiliparse's main-content reading of the page (`crosscheck`), made once."""
        return second_opinion(self.html)

    @cached_property
    def soup(self) -> BeautifulSoup:
        """The whole page as a soup, for adapters that query all of it (GOV.UK's components)."""
        return BeautifulSoup(etree.tostring(self.tree, encoding="unicode", method="html"), "lxml")

    @cached_property
    def title_tag(self) -> str | None:
        found = self.tree.find(".//title")
        return found.text_content() if found is not None else None

    @cached_property
    def language(self) -> str | None:
        lang = self.tree.get("lang") or self.meta.get("og:locale") or self.meta.get("content-language")
        return lang.strip() if lang and lang.strip() else None

    @cached_property
    def publisher_name(self) -> str | None:
        publisher = self.news_ld.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return str(publisher["name"]).strip() or None
        return self.meta.get("og:site_name") or None


def parse_page(url: str, html: str, fetched_at: datetime | None = None) -> Page:
    """Raises ValueError for input that is no HTML document at all."""
    data = _XML_DECLARATION.sub("", html, count=1).encode("utf-8", "replace")
    try:
        tree = document_fromstring(data, parser=_PARSER) if data.strip() else None
    except etree.ParserError:
        tree = None
    if tree is None:
        tree = document_fromstring(b"<html><body></body></html>", parser=_PARSER)
    ld_scripts: list[str] = []
    payloads: list[str] = []
    for script in tree.iter("script"):
        text = script.text or ""
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            ld_scripts.append(text)
        elif text.count("<p") + text.count("\\u003cp") >= _PAYLOAD_PARAGRAPHS:
            payloads.append(text)
    etree.strip_elements(tree, *_DEAD, with_tail=False)
    return Page(url=url, tree=tree, fetched_at=fetched_at, ld_scripts=ld_scripts, payloads=payloads, html=html)


def _types(obj: dict[str, Any]) -> set[str]:
    """The object's types, lower-cased, without a vocabulary prefix ("schema:NewsArticle",
    "https://schema.org/NewsArticle")."""
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for k in kinds if isinstance(k, str)}


# schema.org's Article and its subtypes (the full tree as of schema.org 29), then creative works
# that carry a page's own dates when no Article is given.
_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "analysisnewsarticle", "askpublicnewsarticle", "backgroundnewsarticle",
        "opinionnewsarticle", "reportagenewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting",
        "socialmediaposting", "discussionforumposting", "advertisercontentarticle", "satiricalarticle",
        "scholarlyarticle", "medicalscholarlyarticle", "techarticle", "apireference", "report",
    }
)  # fmt: skip
_OTHER_WORKS = frozenset({"claimreview", "review", "creativework", "videoobject", "podcastepisode"})
_NOT_A_WORK = 3


def _rank(obj: dict[str, Any]) -> int:
    types = _types(obj)
    if types & _ARTICLE_TYPES:
        return 0
    if types & _OTHER_WORKS:
        return 1
    if "webpage" in types or types & {"itempage", "collectionpage", "aboutpage", "faqpage", "qapage"}:
        return 2
    return _NOT_A_WORK


_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


def _json(raw: str) -> object:
    """A JSON-LD script's data; None for what is not JSON even without its wrappers."""
    try:
        return json.loads(raw)
    except ValueError:
        pass
    try:
        return json.loads(_WRAPPERS.sub("", raw.strip()), strict=False)
    except ValueError:
        return None
