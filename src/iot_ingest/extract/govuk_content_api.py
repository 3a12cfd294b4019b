"""GOV.UK Content API JSON (`/api/content/<path>`): the structured form of a GOV.UK page.

The article's identity is the page URL (`https://www.gov.uk<base_path>`), so the API response and
the HTML page of one item are one article.

Not every 200 is an article: a redirected item (`schema_name: "redirect"`) and an unpublished one
(`"gone"`, `"vanish"`) are status changes of the article at that path. They raise ItemStatus
instead of becoming an untitled, empty article that could replace a good capture; a 410 is the
same change without an explanation. A withdrawn item is still an article (withdrawn), and its
status is reported too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from iot_ingest.extract.article import Article
from iot_ingest.extract.dates import parse_date, plausible
from iot_ingest.extract.text import block_text
from iot_ingest.urls import canonical_url

__all__ = ["NAME", "VERSION", "ItemStatus", "NotAnArticle", "extract_json", "item_status", "matches_url"]

NAME = "govuk_content_api"
VERSION = "3"

_NOT_ARTICLES = {"redirect": "redirected", "gone": "gone", "vanish": "gone"}


@dataclass(frozen=True)
class ItemStatus:
    """A change to the item at `page_url`: redirected (to `destination`), gone, or withdrawn."""

    page_url: str
    status: str  # redirected | gone | withdrawn
    destination: str | None = None  # absolute URL of the new page (redirected, or gone with an alternative)
    detail: str | None = None  # GOV.UK's explanation, as text


class NotAnArticle(ValueError):
    """A Content API item that is a redirect or an unpublishing, not an article."""

    def __init__(self, status: ItemStatus) -> None:
        super().__init__(f"{status.page_url} is {status.status}")
        self.status = status


def matches_url(url: str) -> bool:
    """A Content API path; the host is whatever the source's base_url is (a mirror, a test fake)."""
    return urlsplit(url).path.startswith("/api/content/")


def extract_json(url: str, text: str, *, fetched_at: Any = None) -> Article:
    """Raises ValueError when the JSON is not a Content API content item."""
    item = json.loads(text)
    if not isinstance(item, dict) or not isinstance(item.get("base_path"), str):
        raise ValueError("not a GOV.UK Content API item (no base_path)")
    changed = _status_of_item(url, item)
    if changed is not None and changed.status != "withdrawn":
        raise NotAnArticle(changed)
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


def item_status(url: str, status: int, body: bytes) -> ItemStatus | None:
    """What a Content API response says about its item when that is not "here is the article"."""
    if not matches_url(url):
        return None
    if status == 410:
        return ItemStatus(_page_url(url, urlsplit(url).path.removeprefix("/api/content")), "gone")
    if status != 200:
        return None
    try:
        item = json.loads(body)
    except ValueError:
        return None
    if not isinstance(item, dict) or not isinstance(item.get("base_path"), str):
        return None
    return _status_of_item(url, item)


def _status_of_item(url: str, item: dict[str, Any]) -> ItemStatus | None:
    base_path: str = item["base_path"]
    page = _page_url(url, base_path)
    details: dict[str, Any] = item["details"] if isinstance(item.get("details"), dict) else {}
    kind = _NOT_ARTICLES.get(str(item.get("schema_name")))
    if kind == "redirected":
        requested = urlsplit(url).path.removeprefix("/api/content") or base_path
        target = redirect_target(requested, item.get("redirects"))
        return ItemStatus(page, kind, _page_url(url, target) if target else None)
    if kind == "gone":
        alternative = details.get("alternative_path")
        destination = _page_url(url, alternative) if isinstance(alternative, str) and alternative else None
        return ItemStatus(page, kind, destination, _as_text(details.get("explanation")))
    notice = item.get("withdrawn_notice")
    if isinstance(notice, dict) and notice:
        return ItemStatus(page, "withdrawn", None, _as_text(notice.get("explanation")))
    return None


def redirect_target(path: str, redirects: object) -> str | None:
    """Where a redirect item sends `path`: its exact route, else the longest prefix route holding it.

    A prefix route keeps the rest of the path ("preserve", the default) or drops it ("ignore").
    """
    routes = [r for r in redirects if isinstance(r, dict)] if isinstance(redirects, list) else []
    for route in routes:
        if route.get("type", "exact") == "exact" and route.get("path") == path:
            return _destination(route)
    best: tuple[int, str] | None = None
    for route in routes:
        prefix = route.get("path")
        if route.get("type") != "prefix" or not isinstance(prefix, str):
            continue
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            target = _destination(route)
            if target is None:
                continue
            if route.get("segments_mode", "preserve") == "preserve":
                target = _joined(target, path[len(prefix) :])
            if best is None or len(prefix) > best[0]:
                best = (len(prefix), target)
    if best is not None:
        return best[1]
    # No route names the path itself (asked for a path below the item): the first destination.
    return next((d for d in map(_destination, routes) if d), None)


def _destination(route: dict[str, Any]) -> str | None:
    value = route.get("destination")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _joined(destination: str, rest: str) -> str:
    if not rest:
        return destination
    parts = urlsplit(destination)
    path = parts.path.rstrip("/") + "/" + rest.lstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{path}{query}" if parts.netloc else f"{path}{query}"


def _page_url(api_url: str, path: str) -> str:
    """The GOV.UK page for a path (or an absolute destination as it is), fragment dropped."""
    path = path.split("#", 1)[0]
    if path.startswith(("http://", "https://")):
        return path
    parts = urlsplit(api_url)
    return canonical_url(f"{parts.scheme}://{parts.netloc}{path}")


def _as_text(html: object) -> str | None:
    if not isinstance(html, str) or not html.strip():
        return None
    return BeautifulSoup(html, "lxml").get_text(" ", strip=True) or None
