"""What the fetcher may do: limits, timeouts and politeness, from the config file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["CONTENT_TYPES", "Accept", "FetchSettings", "HostPolicy"]

# What a request is for: each kind accepts the content types its format is served with, and a
# response of any other type is refused unread (a feed URL answering with a PDF, a page with a zip).
Accept = Literal["page", "feed", "sitemap", "api", "file_list"]

_FEEDS = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
)
_GZIP = frozenset({"application/gzip", "application/x-gzip"})
CONTENT_TYPES: Mapping[Accept, frozenset[str]] = {
    # Articles: HTML, and the JSON of the GOV.UK Content API (an item's page is its API document).
    "page": frozenset({"text/html", "application/xhtml+xml", "application/json"}),
    "feed": _FEEDS,
    # The sitemaps protocol allows XML, text (one URL a line, served as text/plain), feeds offered as
    # sitemaps, and any of them gzipped (.xml.gz).
    "sitemap": _FEEDS | _GZIP | {"text/plain"},
    # JSON APIs (GOV.UK Search, the Wayback CDX); some label JSON as text/plain.
    "api": frozenset({"application/json", "application/ld+json", "text/json", "text/plain"}),
    # Lists of files on object stores (CC-NEWS warc.paths.gz), served as generic binary.
    "file_list": _GZIP | {"application/octet-stream", "binary/octet-stream", "text/plain"},
}


@dataclass(frozen=True)
class HostPolicy:
    """Per-host politeness: requests per second and requests in flight."""

    rate_limit: float = 1.0
    max_concurrency: int = 2

    def stricter(self, other: HostPolicy) -> HostPolicy:
        return HostPolicy(min(self.rate_limit, other.rate_limit), min(self.max_concurrency, other.max_concurrency))


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str
    allow_private_hosts: frozenset[str] = frozenset()
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    total_timeout_s: float = 90.0
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    max_attempts: int = 4
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 30.0
    retry_after_cap_s: float = 120.0
    global_concurrency: int = 16
    robots_ttl_s: float = 3600.0
    robots_error_ttl_s: float = 300.0
    respect_robots: bool = True
