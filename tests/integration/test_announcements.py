"""Announcement ids stay stable, and a merge that changes one leaves an alias behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import Config
from iot_ingest.ingest import import_warcs
from tests.support.digest import rows

pytestmark = pytest.mark.integration


def test_an_official_source_arriving_later_takes_over_and_the_old_id_is_aliased(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    feweek = [c for c in captures if "feweek.co.uk" in c.url]
    govuk = [c for c in captures if "nine-new-institutes-of-technology" in c.url]
    import_warcs([warc_of(feweek, name="first.warc.gz")], db, config)
    ((first_id, first_original),) = rows(db, "SELECT announcement_id, original_article_id FROM announcements")
    import_warcs([warc_of(feweek, name="again.warc.gz")], db, config)
    assert rows(db, "SELECT announcement_id FROM announcements") == [(first_id,)], "stable across runs"
    import_warcs([warc_of(govuk, name="second.warc.gz")], db, config)
    ((second_id, original, count),) = rows(
        db, "SELECT announcement_id, original_article_id, article_count FROM announcements"
    )
    assert second_id != first_id and original != first_original and count == 2
    assert rows(db, "SELECT new_id FROM announcement_aliases WHERE old_id = ?", [first_id]) == [(second_id,)]
    # A saved query that kept the old id still finds the announcement through the alias.
    found = rows(
        db,
        """SELECT a.headline FROM announcements a
           JOIN announcement_aliases x ON x.new_id = a.announcement_id WHERE x.old_id = ?""",
        [first_id],
    )
    assert found == [("Nine new Institutes of Technology to boost higher technical skills",)]
