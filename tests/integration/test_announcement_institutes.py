"""announcement_institutes and the announcement's count and sum, from the facts of its articles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import Config
from iot_ingest.ingest import import_warcs
from tests.support.digest import rows, snapshot
from tests.support.topics import known_institutes

pytestmark = pytest.mark.integration

# The leads as the GOV.UK releases list them: the known leads, HCUC with the expansion it gives.
WRITTEN = {"Harrow College & Uxbridge College": "HCUC (Harrow College & Uxbridge College)"}
WAVE_ONE = sorted(WRITTEN.get(k.lead, k.lead) for k in known_institutes() if k.wave == 1)
WAVE_TWO = sorted(k.lead for k in known_institutes() if k.wave == 2)


def _institutes_by_day(db: Path) -> dict[date, list[str]]:
    found: dict[date, list[str]] = {}
    for day, institute in rows(
        db,
        """SELECT a.announced_on, i.institute FROM announcements a
           LEFT JOIN announcement_institutes i USING (announcement_id) ORDER BY 1, 2""",
    ):
        found.setdefault(day, [])
        if institute is not None:
            found[day].append(institute)
    return found


def test_the_demo_pages_fill_announcement_institutes_and_a_rerun_changes_nothing(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    warc = warc_of(captures)
    import_warcs([warc], db, config)
    assert _institutes_by_day(db) == {
        date(2019, 4, 10): WAVE_ONE,  # as the GOV.UK original writes them
        date(2020, 10, 8): [],  # the competition names no institute
        date(2021, 12, 17): WAVE_TWO,
        date(2022, 11, 3): ["Swindon and Wiltshire Institute of Technology"],
    }
    counts = rows(db, "SELECT announced_on, institute_count, funding_gbp FROM announcements ORDER BY 1")
    assert counts == [
        (date(2019, 4, 10), 12, 170_000_000),
        (date(2020, 10, 8), 8, 120_000_000),
        (date(2021, 12, 17), 9, 120_000_000),  # not the 21 of the network the nine join
        (date(2022, 11, 3), 1, 21_000_000),  # one institute opening, not "one of the first 12"
    ]
    tables = ("announcements", "announcement_institutes", "articles")
    before = snapshot(db, tables)
    import_warcs([warc], db, config)
    import_warcs([warc_of(list(reversed(captures)), name="again.warc.gz")], db, config)
    assert snapshot(db, tables) == before


def test_a_trade_report_alone_gives_its_spelling_until_the_original_arrives(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    tes = [c for c in captures if "tes.com" in c.url]
    govuk = [c for c in captures if "nine-new-institutes-of-technology" in c.url]
    import_warcs([warc_of(tes, name="first.warc.gz")], db, config)
    tes_names = [name for (name,) in rows(db, "SELECT institute FROM announcement_institutes ORDER BY 1")]
    assert len(tes_names) == 9 and "Cheshire College South and West" in tes_names  # Tes's own spelling
    import_warcs([warc_of(govuk, name="second.warc.gz")], db, config)
    ((announcement,),) = rows(db, "SELECT announcement_id FROM announcements")
    names = rows(
        db, "SELECT institute FROM announcement_institutes WHERE announcement_id = ? ORDER BY 1", [announcement]
    )
    assert [name for (name,) in names] == WAVE_TWO  # now as the GOV.UK original writes them
    assert rows(db, "SELECT count(*) FROM announcement_institutes") == [(9,)]  # nothing left of the old id
