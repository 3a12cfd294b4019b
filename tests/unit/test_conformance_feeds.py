"""The feed reader against feedparser's own test corpus: every `Expect:` about what the product reads.

The product reads, per item, its link, its id and its publication and update dates. Each corpus
file whose expectation is about those is run; an expectation that also asks about anything else
(enclosures, authors, feed-level fields) is not applicable and not counted. Every difference is
either listed in EXPLAINED with its reason or fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from iot_ingest.sources.feed import FeedEntry, parse_entries
from iot_ingest.sources.xml import UnsafeXml
from tests.support.conformance import corpus

_ABOUT_WHAT_WE_READ = re.compile(
    r"entries\[\d\]\[.(link|id|published_parsed|updated_parsed|date_parsed|modified_parsed|issued_parsed).\]"
)
_EXPECT = re.compile(rb"Expect:\s*(.*?)\s*\n")
_CONTENT_LOCATION = re.compile(rb"Header:\s*Content-Location:\s*(\S+)")
# feedparser's own test server serves each file from here; "document URI" tests resolve against it.
_TEST_SERVER = "http://127.0.0.1:8097/"

EXPLAINED = {
    "wellformed/base/http_entry_id_base_content_location.xml": "an id is a name, not an address: never resolved",
    "wellformed/base/http_entry_id_base_docuri.xml": "an id is a name, not an address: never resolved",
    "wellformed/cdf/item_href_map_link.xml": "CDF (Microsoft's 1997 channel format) is not a feed the product reads",
    "wellformed/cdf/item_lastmod_parsed.xml": "CDF (Microsoft's 1997 channel format) is not a feed the product reads",
}


class NotApplicable(Exception):
    """The expectation asks about something the product does not read."""


class _Only(dict[str, Any]):
    def __getitem__(self, key: str) -> Any:
        if key not in self:
            raise NotApplicable(key)
        return dict.__getitem__(self, key)


def _as_feedparser_sees_it(entry: FeedEntry) -> _Only:
    view = _Only(link=entry.link, id=entry.id)
    if entry.published is not None:
        view["published_parsed"] = view["issued_parsed"] = tuple(entry.published.when.utctimetuple())
    if entry.updated is not None:
        stamp = tuple(entry.updated.when.utctimetuple())
        view["updated_parsed"] = view["date_parsed"] = view["modified_parsed"] = stamp
    return view


def _verdict(path: Path, root: Path) -> str | None:
    """'ok', 'differs: ...', or None when the file's expectation is not about what the product reads."""
    data = path.read_bytes()
    found = _EXPECT.search(data)
    if found is None:
        return None
    expectation = found.group(1).decode("utf-8", "replace")
    if not _ABOUT_WHAT_WE_READ.search(expectation):
        return None
    located = _CONTENT_LOCATION.search(data)
    base = located.group(1).decode() if located else _TEST_SERVER + path.relative_to(root).as_posix()
    try:
        entries = [_as_feedparser_sees_it(e) for e in parse_entries(data, base)]
    except UnsafeXml as exc:
        return f"differs: refused ({exc})"
    try:
        held = eval(expectation, {"__builtins__": {}}, {"entries": entries, "bozo": False, "feed": _Only()})
    except NotApplicable:
        return None
    except IndexError:
        return "differs: fewer entries than expected"
    return "ok" if held else f"differs: {expectation}"


def test_feedparser_corpus_has_no_unexplained_difference() -> None:
    root = corpus("feedparser")
    verdicts = {p.relative_to(root).as_posix(): _verdict(p, root) for p in sorted(root.rglob("*.xml"))}
    applicable = {name: v for name, v in verdicts.items() if v is not None}
    differing = {name: v for name, v in applicable.items() if v != "ok"}
    assert len(applicable) >= 40, "the corpus still holds the link, id and date expectations"
    unexplained = {name: v for name, v in differing.items() if name not in EXPLAINED}
    assert unexplained == {}
    assert sorted(set(EXPLAINED) - set(differing)) == [], "an explained difference that no longer differs"
    passed = len(applicable) - len(differing)
    assert passed >= 40


@pytest.mark.parametrize(
    "name",
    [
        "wellformed/rss/item_guid_isPermaLink_map_link.xml",
        "wellformed/rss/item_guid_map_link.xml",
        "wellformed/atom10/entry_link_rel_enclosure_no_href.xml",
        "wellformed/atom/entry_link_no_href_link_priority.xml",
        "wellformed/base/http_item_link_base_docuri.xml",
    ],
)
def test_the_cases_the_issue_names_pass(name: str) -> None:
    root = corpus("feedparser")
    assert _verdict(root / name, root) == "ok"
