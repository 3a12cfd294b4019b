"""One announcement's coverage (10 April 2019: the GOV.UK release, its Content API item, verbatim,
trimmed and edited copies, a mirror and URL variants) imported in different orders and batches into
fresh warehouses: the same announcements, the same copy relations, the same `duplicate_of` links."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import Config
from iot_ingest.ingest import import_warcs
from tests.support.digest import rows

pytestmark = pytest.mark.integration

COVERAGE = (
    "www.gov.uk/government/news/the-first-twelve",
    "www.gov.uk/api/content/government/news/the-first-twelve",
    "pesmedia.com",
    "lepnetwork.net",
    "fenews",
    "manufacturingmanagement.co.uk",
)
GOVUK = "https://www.gov.uk/government/news/the-first-twelve-institutes-of-technology-announced"


def _links(db: Path) -> dict[str, Any]:
    """What deduplication decided, by canonical URL (article ids are derived, URLs are facts)."""
    return {
        "copy_of": rows(
            db,
            """SELECT a.url, o.url, a.copy_kind FROM articles a LEFT JOIN articles o ON o.article_id = a.duplicate_of
               ORDER BY a.url""",
        ),
        "copies": rows(
            db,
            """SELECT least(a.url, b.url), greatest(a.url, b.url), c.kind FROM article_copies c
               JOIN articles a ON a.article_id = c.article_a JOIN articles b ON b.article_id = c.article_b
               ORDER BY ALL""",
        ),
        "announcements": rows(
            db,
            """SELECT n.announcement_id, n.announced_on, o.url, n.article_count, n.institute_count, n.funding_gbp
               FROM announcements n JOIN articles o ON o.article_id = n.original_article_id ORDER BY ALL""",
        ),
        "members": rows(db, "SELECT url, announcement_id FROM articles ORDER BY url"),
    }


def test_one_announcements_coverage_in_any_order_gives_the_same_links(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    coverage = [c for c in captures if any(part in c.url for part in COVERAGE)]
    assert len(coverage) >= 7
    forward, backward, shuffled = (tmp_path / name / "iot.duckdb" for name in ("forward", "backward", "shuffled"))
    import_warcs([warc_of(coverage, name="forward.warc.gz")], forward, config)
    # The other way round, and as two imports (the copies first, the original in a later run).
    reverse = list(reversed(coverage))
    import_warcs([warc_of(reverse[:4], name="backward-1.warc.gz")], backward, config)
    import_warcs([warc_of(reverse[4:], name="backward-2.warc.gz")], backward, config)
    mixed = random.Random(20190410).sample(coverage, len(coverage))
    for index, capture in enumerate(mixed):
        import_warcs([warc_of([capture], name=f"one-{index}.warc.gz")], shuffled, config)

    expected = _links(forward)
    assert _links(backward) == expected
    assert _links(shuffled) == expected

    copy_of = {url: (original, kind) for url, original, kind in expected["copy_of"]}
    assert copy_of[GOVUK] == (None, None), "the official release is the original"
    copies = {url: copy_of[url] for url in copy_of if url != GOVUK}
    assert {url.split("/")[2] for url in copies} == {
        "www.pesmedia.com", "www.lepnetwork.net", "www.fenews.co.uk", "www.manufacturingmanagement.co.uk"
    }  # fmt: skip
    assert all(original == GOVUK for original, _ in copies.values()), copies
    kinds = {url.split("/")[2]: kind for url, (_, kind) in copies.items()}
    assert kinds["www.lepnetwork.net"] == "trimmed"
    assert kinds["www.pesmedia.com"] == kinds["www.manufacturingmanagement.co.uk"] == "verbatim"
    ((_, announced_on, original, count, institutes, funding),) = expected["announcements"]
    assert (str(announced_on), original, count) == ("2019-04-10", GOVUK, 5)
    assert (institutes, funding) == (12, 170_000_000)
