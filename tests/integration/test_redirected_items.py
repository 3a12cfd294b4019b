"""A feed whose links redirect to the articles (`/?p=<id>` -> 301 -> the article), as feed
proxies and some themes serve them: the item is remembered by every URL of its chain, so the next
run downloads no page that has not changed, and still fetches the one that has."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from iot_ingest.config import Config, parse_config
from iot_ingest.orchestrate import jobs
from tests.support.digest import rows as _q
from tests.support.fakes import FakeTradePress, sample_dataset

pytestmark = pytest.mark.integration


@pytest.fixture
def site() -> Iterator[FakeTradePress]:
    _, press = sample_dataset()
    fake = FakeTradePress(press, feed_size=12, shortlinks_in_feeds=True).start()
    try:
        yield fake
    finally:
        fake.stop()


def _config(site: FakeTradePress) -> Config:
    return parse_config(
        '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
        'allow_private_hosts = ["127.0.0.1"]\n'
        f'[[sources]]\nname = "press"\nkind = "feed"\nurl = "{site.url("/feed/atom/")}"\n'
        "rate_limit = 50.0\nmax_concurrency = 4\nlookback_days = 3660\n",
        origin="test",
    )


def _page_requests(site: FakeTradePress, since: int) -> list[str]:
    return [r.path for r in site.requests[since:] if r.path.startswith("/?p=") or r.path.startswith("/20")]


def _page_bytes(db: Path, run_id: str) -> int:
    (total,) = _q(
        db,
        "SELECT coalesce(sum(bytes), 0) FROM fetches WHERE run_id = ? AND url NOT LIKE '%/feed/%' "
        "AND url NOT LIKE '%/robots.txt'",
        [run_id],
    )[0]
    return int(total)


def test_the_next_run_downloads_no_unchanged_page_whose_link_redirects(site: FakeTradePress, tmp_path: Path) -> None:
    db, config = tmp_path / "iot.duckdb", _config(site)
    jobs.ingest(db, config)
    followed = {site.url(p) for p in _page_requests(site, 0) if p.startswith("/?p=")}
    assert len(followed) >= 10, "the feed's items (less any off-topic title) were fetched by their links"
    linked = {u for (u,) in _q(db, "SELECT url FROM article_urls WHERE url LIKE '%/?p=%'")}
    assert linked == followed, "every followed link is an address of its article"

    seen = len(site.requests)
    second = jobs.ingest(db, config)
    assert _page_requests(site, seen) == [], "no page of an unchanged item is requested"
    assert _page_bytes(db, second.run.run_id) == 0
    assert second.total.fetch.not_modified == 1, "the feed itself is asked for conditionally"

    # One story is updated, so the feed changes: only that story is downloaded again (through its
    # redirecting link); the others are known by their links and skipped as unchanged.
    newest = site.newest_first()[0]
    site.items = [dataclasses.replace(i, modified_at=datetime.now(UTC)) if i is newest else i for i in site.items]
    seen = len(site.requests)
    third = jobs.ingest(db, config)
    fetched = _page_requests(site, seen)
    assert fetched == [f"/?p={site.post_id(newest)}", site.article_path(newest)]
    assert third.total.discovery.unchanged == len(followed) - 1
