"""The demo's sample sites: the bundled pages served over HTTP on 127.0.0.1, one server per site.

GOV.UK gets a Search API (`/api/search.json`, with the filters and paging the `govuk_search`
source sends; `q` matches any one word, a quoted part is a phrase), a Content API for the items
that have a JSON fixture (the others answer 404 with an empty body and the source falls back to
the page; a path below an item's answers 303 to it; redirected and unpublished paths answer as
GOV.UK does: a redirect item, a gone item or 410) and the HTML pages. Every
other site gets an RSS feed (`/feed/`) and a sitemap (`/sitemap.xml`) of its pages. Feeds and pages
answer conditional requests, so a second demo run fetches next to nothing. Every page is served at
its URL's path (and query) on its site's port, and so is each of its extra URLs: mirrors, tracking
parameters, archive paths.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from iot_ingest.demo.govuk_query import search_score
from iot_ingest.demo.samples import sample_addresses

__all__ = ["DemoSites", "SamplePage", "Site", "sample_site_pages"]

GOVUK_HOST = "www.gov.uk"
_ROBOTS = b"User-agent: *\nAllow: /\n"
_NOT_FOUND_JSON = b'{"error": {"code": 404, "message": "not found"}}'


# Paths GOV.UK redirected or unpublished: the search index no longer lists them, but an old link or
# a refetch meets them.
_GOVUK_REDIRECTS = {
    "/government/news/first-12-institutes-of-technology-announced": (
        "/government/news/the-first-twelve-institutes-of-technology-announced"
    ),
}
_GOVUK_GONE: dict[str, str | None] = {
    "/government/news/institutes-of-technology-competition-launch-date": "Published in error",
    "/government/news/institutes-of-technology-draft-prospectus": None,
}


@dataclass(frozen=True)
class SamplePage:
    url: str  # the page's real address; served at its path on its site's port
    body: bytes
    content_type: str
    title: str
    published_at: datetime


@dataclass
class Site:
    host: str
    pages: dict[str, SamplePage] = field(default_factory=dict)  # path with query -> page
    port: int = 0
    redirects: dict[str, str] = field(default_factory=dict)  # GOV.UK: old path -> new path
    gone: dict[str, str | None] = field(default_factory=dict)  # GOV.UK: unpublished path -> explanation (None: 410)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def is_govuk(self) -> bool:
        return self.host == GOVUK_HOST


def sample_site_pages() -> list[SamplePage]:
    """Every bundled page at its URL and each of its extra URLs, from the manifest."""
    return [
        SamplePage(url, body, entry["content_type"], entry["title"], datetime.fromisoformat(entry["published_at"]))
        for entry, body, url in sample_addresses()
    ]


class DemoSites:
    """Start with `with DemoSites() as sites:`; `sites.sites` maps each host to its running server."""

    def __init__(self, pages: list[SamplePage] | None = None, *, first_port: int = 18_730) -> None:
        self.first_port = first_port
        self.sites: dict[str, Site] = {}
        for page in pages if pages is not None else sample_site_pages():
            parts = urlsplit(page.url)
            site = self.sites.setdefault(parts.hostname or "", Site(parts.hostname or ""))
            site.pages[parts.path + (f"?{parts.query}" if parts.query else "")] = page
        self._servers: list[ThreadingHTTPServer] = []
        govuk = self.sites.get(GOVUK_HOST)
        if govuk is not None:
            govuk.redirects.update(_GOVUK_REDIRECTS)
            govuk.gone.update(_GOVUK_GONE)

    def __enter__(self) -> DemoSites:
        # The same ports every run where they are free, so a second run meets the same URLs and its
        # conditional requests come back 304; any free port otherwise.
        for number, site in enumerate(sorted(self.sites.values(), key=lambda s: s.host)):
            try:
                server = ThreadingHTTPServer(("127.0.0.1", self.first_port + number), _handler_for(site))
            except OSError:
                server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(site))
            server.daemon_threads = True
            site.port = server.server_address[1]
            threading.Thread(target=server.serve_forever, name=f"demo {site.host}", daemon=True).start()
            self._servers.append(server)
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def local_url(self, url: str) -> str:
        """Where the demo serves a real URL."""
        parts = urlsplit(url)
        site = self.sites[parts.hostname or ""]
        return site.base + parts.path + (f"?{parts.query}" if parts.query else "")

    def config_toml(self) -> str:
        """A configuration that reads every sample site: GOV.UK by search, the others by feed or sitemap."""
        lines = [
            "# Written by `iot-ingest demo` for the sample sites it serves on 127.0.0.1.",
            "[http]",
            'user_agent = "iot-ingest-demo/0.1 (+https://github.com/iot-ingest/iot-ingest)"',
            'allow_private_hosts = ["127.0.0.1"]',
            "max_attempts = 2",
            "",
        ]
        # GOV.UK first, as a scheduled run would find it first; a mirror last.
        for site in sorted(self.sites.values(), key=lambda s: (not s.is_govuk, not _has_feed_pages(s), s.host)):
            name = _source_name(site.host)
            lines.append("[[sources]]")
            lines.append(f'name = "{name}"')
            if site.is_govuk:
                lines += ['kind = "govuk_search"', f'base_url = "{site.base}"', 'query = "institutes of technology"']
            elif _has_feed_pages(site):
                lines += ['kind = "feed"', f'url = "{site.base}/feed/"']
            else:
                lines += ['kind = "sitemap"', f'url = "{site.base}/sitemap.xml"']
            # The samples are from 2019 and 2021: a first run looks back far enough to find them.
            lines += ["rate_limit = 20.0", "max_concurrency = 4", "lookback_days = 3660", ""]
        return "\n".join(lines)


def _source_name(host: str) -> str:
    labels = [label for label in host.split(".") if label not in {"www", "co", "uk", "com", "net", "ac"}]
    return "-".join(labels) if host != GOVUK_HOST else "govuk"


def _has_feed_pages(site: Site) -> bool:
    # A site whose pages are all second addresses of another site's (a mirror) has no feed of its own.
    return not site.host.endswith("mirror-cdn.net")


def _handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(_SiteHandler):
        pass

    Handler.site = site
    return Handler


class _SiteHandler(BaseHTTPRequestHandler):
    site: Site
    server_version = "iot-ingest-demo/0.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the demo prints what it found, not an access log

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        if path == "/robots.txt":
            self._send(HTTPStatus.OK, _ROBOTS, "text/plain; charset=utf-8")
        elif self.site.is_govuk and path == "/api/search.json":
            self._send(HTTPStatus.OK, _search(self.site, parse_qs(parts.query)), "application/json")
        elif self.site.is_govuk and path.startswith("/api/content/"):
            self._content(path)
        elif self.site.is_govuk and path in self.site.redirects:
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/html", {"Location": self.site.redirects[path]})
        elif self.site.is_govuk and path in self.site.gone:
            self._send(HTTPStatus.GONE, b"<html><body><h1>This page has been removed</h1></body></html>", "text/html")
        elif not self.site.is_govuk and path in ("/feed/", "/feed"):
            self._conditional(_rss(self.site), "application/rss+xml; charset=utf-8", None)
        elif not self.site.is_govuk and path == "/sitemap.xml":
            self._conditional(_sitemap(self.site), "application/xml; charset=utf-8", None)
        else:
            page = self.site.pages.get(self.path) or self.site.pages.get(path)
            if page is None or "/api/" in path:
                self._send(HTTPStatus.NOT_FOUND, b"<html><body><h1>Page not found</h1></body></html>", "text/html")
            else:
                self._conditional(page.body, page.content_type, page.published_at)

    def _content(self, path: str) -> None:
        """GOV.UK's content store: an item, a redirect or gone item, 410, 303 below an item, or 404."""
        base_path = path.removeprefix("/api/content")
        page = self.site.pages.get(path)
        if page is not None:
            self._conditional(page.body, page.content_type, page.published_at)
        elif base_path in self.site.redirects:
            self._json(_redirect_item(base_path, self.site.redirects[base_path]))
        elif base_path in self.site.gone and self.site.gone[base_path] is not None:
            self._json(_gone_item(base_path, self.site.gone[base_path] or ""))
        elif base_path in self.site.gone:
            self._send(HTTPStatus.GONE, b"", "application/json")
        elif (above := _item_above(self.site, path)) is not None:
            self._send(HTTPStatus.SEE_OTHER, b"", "application/json", {"Location": above})
        else:
            self._send(HTTPStatus.NOT_FOUND, b"", "application/json")

    def _json(self, data: dict[str, Any]) -> None:
        self._send(HTTPStatus.OK, json.dumps(data).encode(), "application/json; charset=utf-8")

    def _conditional(self, body: bytes, content_type: str, modified: datetime | None) -> None:
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
        headers = {"ETag": etag}
        if modified is not None:
            headers["Last-Modified"] = format_datetime(modified.astimezone(UTC), usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            self._send(HTTPStatus.NOT_MODIFIED, b"", content_type, headers)
        else:
            self._send(HTTPStatus.OK, body, content_type, headers)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != HTTPStatus.NOT_MODIFIED:
            self.wfile.write(body)


def _articles(site: Site) -> Iterator[tuple[str, SamplePage]]:
    """The site's own pages (not its API paths), oldest first."""
    pages = [(path, page) for path, page in site.pages.items() if "/api/" not in path]
    yield from sorted(pages, key=lambda item: (item[1].published_at, item[0]))


def _item_above(site: Site, api_path: str) -> str | None:
    """The Content API path of the item whose base path holds `api_path`, if any."""
    for path in site.pages:
        if path.startswith("/api/content/") and api_path.startswith(path.rstrip("/") + "/"):
            return path
    return None


def _redirect_item(base_path: str, destination: str) -> dict[str, Any]:
    return {
        "base_path": base_path,
        "content_id": None,
        "document_type": "redirect",
        "schema_name": "redirect",
        "locale": "en",
        "title": None,
        "description": None,
        "details": {},
        "links": {},
        "withdrawn_notice": {},
        "redirects": [{"path": base_path, "type": "exact", "destination": destination}],
    }


def _gone_item(base_path: str, explanation: str) -> dict[str, Any]:
    return {
        "base_path": base_path,
        "content_id": None,
        "document_type": "gone",
        "schema_name": "gone",
        "locale": "en",
        "title": None,
        "description": None,
        "details": {"explanation": f"<p>{escape(explanation)}</p>", "alternative_path": ""},
        "links": {},
    }


# The content purpose groups the demo's news items are in (every sample item is news).
_GROUPS = {"filter_content_purpose_subgroup": "news", "filter_content_purpose_supergroup": "news_and_communications"}


def _search(site: Site, query: dict[str, list[str]]) -> bytes:
    """The Search API's answer: news items matching `q` (any word; quoted parts as phrases) within the filters."""
    text = (query.get("q") or [""])[0]
    since, until = _date_filter((query.get("filter_public_timestamp") or [""])[0])
    start = int((query.get("start") or ["0"])[0] or 0)
    count = int((query.get("count") or ["20"])[0] or 20)
    if any(name in query and wanted not in query[name] for name, wanted in _GROUPS.items()):
        return json.dumps({"results": [], "total": 0, "start": start}).encode()
    results = []
    for path, page in _articles(site):
        day = page.published_at.date()
        if (since and day < since) or (until and day > until):
            continue
        if text.strip() and not search_score(text, page.title, page.title, _text_of(page)):
            continue
        results.append(
            {
                "link": path,
                "title": page.title,
                "description": page.title,
                "public_timestamp": page.published_at.isoformat(),
            }
        )
    results.sort(key=lambda r: str(r["public_timestamp"]), reverse=True)
    return json.dumps({"results": results[start : start + count], "total": len(results), "start": start}).encode()


def _text_of(page: SamplePage) -> str:
    return re.sub(r"<[^>]+>", " ", page.body.decode("utf-8", "replace"))


def _date_filter(raw: str) -> tuple[date | None, date | None]:
    bounds: dict[str, date] = {}
    for part in raw.split(","):
        key, _, value = part.partition(":")
        if key in ("from", "to") and value:
            bounds[key] = date.fromisoformat(value[:10])
    return bounds.get("from"), bounds.get("to")


def _rss(site: Site) -> bytes:
    items = []
    for path, page in _articles(site):
        items.append(
            f"<item><title>{escape(page.title)}</title><link>{escape(site.base + path)}</link>"
            f'<guid isPermaLink="false">{escape(page.url)}</guid>'
            f"<pubDate>{format_datetime(page.published_at.astimezone(UTC), usegmt=True)}</pubDate></item>"
        )
    newest = max((p.published_at for _, p in _articles(site)), default=datetime.combine(date(2019, 1, 1), time()))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(site.host)}</title><link>{escape(site.base)}/</link>"
        f"<lastBuildDate>{format_datetime(newest.astimezone(UTC), usegmt=True)}</lastBuildDate>"
        + "".join(items)
        + "</channel></rss>\n"
    ).encode()


def _sitemap(site: Site) -> bytes:
    urls = "".join(
        f"<url><loc>{escape(site.base + path)}</loc><lastmod>{page.published_at.isoformat()}</lastmod></url>"
        for path, page in _articles(site)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    ).encode()
