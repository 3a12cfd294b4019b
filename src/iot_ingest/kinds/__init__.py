"""Kinds of source, registered once: how each plans its units and commits their results."""

from __future__ import annotations

from iot_ingest.config import SOURCE_KINDS, AnySource
from iot_ingest.kinds.base import Job, Kind, RunContext, commit_result, run_work
from iot_ingest.kinds.ccnews import CCNEWS
from iot_ingest.kinds.pages import PAGES

__all__ = ["KINDS", "Job", "Kind", "RunContext", "commit_result", "kind_of", "run_work"]

KINDS: dict[str, Kind] = {
    "govuk_search": PAGES,
    "feed": PAGES,
    "sitemap": PAGES,
    "listing": PAGES,
    "wayback": PAGES,
    "ccnews": CCNEWS,
}
assert set(KINDS) == set(SOURCE_KINDS), "every configured kind has a plugin"


def kind_of(source: AnySource) -> Kind:
    return KINDS[source.kind]
