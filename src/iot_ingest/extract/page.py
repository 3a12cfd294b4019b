"""A fetched HTML page parsed once: the soup, its metadata and JSON-LD, shared by all adapters."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from bs4 import BeautifulSoup, Tag

__all__ = ["Page", "parse_page"]

# Dead weight removed before the soup is built: never text, often most of the bytes.
_DEAD = re.compile(
    r"<(script|style|svg|noscript|template|iframe)\b(?![^>]*application/ld\+json)[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass
class Page:
    url: str
    soup: BeautifulSoup
    fetched_at: datetime | None = None
    _meta: dict[str, str] = field(default_factory=dict)

    @cached_property
    def meta(self) -> dict[str, str]:
        """`<meta>` content by lower-cased name or property; the first occurrence wins."""
        found: dict[str, str] = {}
        for tag in self.soup.find_all("meta"):
            key = tag.get("property") or tag.get("name") or tag.get("itemprop")
            content = tag.get("content")
            if isinstance(key, str) and isinstance(content, str):
                found.setdefault(key.strip().lower(), content.strip())
        return found

    @cached_property
    def json_ld(self) -> list[dict[str, Any]]:
        """Every JSON-LD object on the page, `@graph` members flattened."""
        objects: list[dict[str, Any]] = []
        for script in self.soup.find_all("script", attrs={"type": "application/ld+json"}):
            try:
                data = json.loads(script.string or script.get_text() or "")
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
        for tag in self.soup.find_all("link", href=True):
            value = tag.get("rel")
            rels = value.split() if isinstance(value, str) else [str(v) for v in value or []]
            if rel in [r.lower() for r in rels]:
                href = tag.get("href")
                if isinstance(href, str) and href.strip():
                    return href.strip()
        return None

    @cached_property
    def language(self) -> str | None:
        html = self.soup.find("html")
        lang = html.get("lang") if isinstance(html, Tag) else None
        return lang.strip() if isinstance(lang, str) and lang.strip() else None

    @cached_property
    def publisher_name(self) -> str | None:
        publisher = self.news_ld.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return str(publisher["name"]).strip() or None
        return self.meta.get("og:site_name") or None


def parse_page(url: str, html: str, fetched_at: datetime | None = None) -> Page:
    cleaned = _DEAD.sub(" ", _COMMENT.sub(" ", html))
    return Page(url=url, soup=BeautifulSoup(cleaned, "lxml"), fetched_at=fetched_at)


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}
