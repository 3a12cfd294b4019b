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
        """Every JSON-LD object on the page, `@graph` members flattened."""
        objects: list[dict[str, Any]] = []
        for raw in self.ld_scripts:
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            stack = data if isinstance(data, list) else [data]
            while stack:
                item = stack.pop(0)
                if isinstance(item, dict):
                    objects.append(item)
                    graph = item.get("@graph")
                    if isinstance(graph, list):
                        stack.extend(graph)
        return objects

    @cached_property
    def news_ld(self) -> dict[str, Any]:
        """The page's own article object in JSON-LD, if any ({} otherwise)."""
        wanted = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "webpage"}
        ranked = sorted(
            (obj for obj in self.json_ld if _types(obj) & wanted),
            key=lambda obj: 0 if _types(obj) - {"webpage"} else 1,
        )
        return ranked[0] if ranked else {}

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
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}
