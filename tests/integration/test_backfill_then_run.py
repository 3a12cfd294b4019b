"""A backfill reads a feed in full for its window and keeps no validators for it: the next
incremental run asks for the feed afresh and loads the items the backfill left outside its range."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from iot_ingest.config import parse_config
from iot_ingest.orchestrate import jobs
from tests.support.digest import rows as _q
from tests.support.fakes import FakeTradePress, sample_dataset

pytestmark = pytest.mark.integration


def test_an_incremental_run_after_a_backfill_loads_what_the_window_left_out(tmp_path: Path) -> None:
    _, press = sample_dataset()
    site = FakeTradePress(press, feed_size=len(press)).start()
    try:
        config = parse_config(
            '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
            'allow_private_hosts = ["127.0.0.1"]\n'
            f'[[sources]]\nname = "press"\nkind = "feed"\nurl = "{site.url("/feed/")}"\n'
            "rate_limit = 50.0\nmax_concurrency = 4\nlookback_days = 3660\n",
            origin="test",
        )
        db = tmp_path / "iot.duckdb"
        jobs.backfill(db, config, date(2019, 1, 1), date(2019, 12, 31))
        in_2019 = _q(db, "SELECT count(*) FROM articles")[0][0]
        assert _q(db, "SELECT count(*) FROM http_validators WHERE url LIKE '%/feed/'") == [(0,)]
        later = jobs.ingest(db, config)
        assert later.total.fetch.not_modified == 0, "the feed is read afresh, not answered 304"
        assert _q(db, "SELECT count(*) FROM articles")[0][0] > in_2019
    finally:
        site.stop()
