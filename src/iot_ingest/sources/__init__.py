"""Sources: one adapter per file, all behind one interface, chosen by the config's `kind`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iot_ingest.config import AnySource
from iot_ingest.sources.base import Discovered, DiscoveryFailed, Source, SourceContext, Window, month_windows
from iot_ingest.sources.ccnews import CCNews
from iot_ingest.sources.feed import Feed
from iot_ingest.sources.govuk_search import GovukSearch
from iot_ingest.sources.listing import Listing
from iot_ingest.sources.sitemap import Sitemap
from iot_ingest.sources.wayback import Wayback

__all__ = [
    "ADAPTERS",
    "Discovered",
    "DiscoveryFailed",
    "Source",
    "SourceContext",
    "Window",
    "make_source",
    "month_windows",
]

# Each adapter takes its own kind's configuration; `make_source` pairs them by `kind`.
ADAPTERS: dict[str, Callable[[Any], Source]] = {
    "govuk_search": GovukSearch,
    "feed": Feed,
    "sitemap": Sitemap,
    "listing": Listing,
    "wayback": Wayback,
    "ccnews": CCNews,
}


def make_source(config: AnySource) -> Source:
    return ADAPTERS[config.kind](config)
