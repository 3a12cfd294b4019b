"""What the fetcher may do: limits, timeouts and politeness, from the config file."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ALLOWED_CONTENT_TYPES", "FetchSettings", "HostPolicy"]

# Pages, feeds, sitemaps and API responses; nothing else is downloaded.
ALLOWED_CONTENT_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/json",
        "application/ld+json",
        "application/x-gzip",  # gzipped sitemaps
        "application/gzip",
    }
)


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
    content_types: frozenset[str] = field(default=ALLOWED_CONTENT_TYPES)
