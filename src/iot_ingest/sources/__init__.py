"""Sources: one adapter per file, all behind one interface, chosen by the config's `kind`."""

from __future__ import annotations

from collections.abc import Callable

from iot_ingest.config import SourceConfig
from iot_ingest.sources.base import Discovered, DiscoveryFailed, Source, SourceContext, Window
from iot_ingest.sources.ccnews import CCNews
from iot_ingest.sources.feed import Feed
from iot_ingest.sources.govuk_search import GovukSearch
from iot_ingest.sources.listing import Listing
from iot_ingest.sources.sitemap import Sitemap
from iot_ingest.sources.wayback import Wayback

__all__ = ["ADAPTERS", "Discovered", "DiscoveryFailed", "Source", "SourceContext", "Window", "make_source"]

ADAPTERS: dict[str, Callable[[SourceConfig], Source]] = {
    "govuk_search": GovukSearch,
    "feed": Feed,
    "sitemap": Sitemap,
    "listing": Listing,
    "wayback": Wayback,
    "ccnews": CCNews,
}


def make_source(config: SourceConfig) -> Source:
    return ADAPTERS[config.kind](config)
