"""reprocess rebuilds the derived tables from the raw archive alone, identically, atomically."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import Config
from iot_ingest.errors import CommandFailed
from iot_ingest.ingest import import_warcs
from iot_ingest.ingest.reprocess import reprocess
from tests.support.digest import snapshot as _snapshot

pytestmark = pytest.mark.integration


def test_reprocess_gives_the_same_warehouse_without_the_original_input(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    warc = warc_of(captures)
    import_warcs([warc], db, config)
    before = _snapshot(db)
    raw_before = {p.name: p.stat().st_size for p in (tmp_path / "raw").iterdir()}
    warc.unlink()  # only the raw archive is left
    counts = reprocess(db, config)
    assert counts.load.reprocessed == len(captures)
    assert counts.load.responses_archived == 0
    assert _snapshot(db) == before
    assert {p.name: p.stat().st_size for p in (tmp_path / "raw").iterdir()} == raw_before


def test_an_unreadable_archive_file_stops_the_rebuild_unless_allowed(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(captures[:3], name="a.warc.gz")], db, config)
    first_files = {p.name for p in (tmp_path / "raw").iterdir()}
    import_warcs([warc_of(captures[3:], name="b.warc.gz")], db, config)
    (lost,) = first_files
    shutil.move(tmp_path / "raw" / lost, tmp_path / lost)
    before = _snapshot(db)
    with pytest.raises(CommandFailed, match=r"3 archived record\(s\) cannot be read .* the warehouse is unchanged"):
        reprocess(db, config)
    assert _snapshot(db, tables=_DERIVED) == _snapshot_of(before, _DERIVED)
    counts = reprocess(db, config, allow_missing=True)
    assert counts.load.unreadable == 3
    con = duckdb.connect(str(db), read_only=True)
    try:
        # Recorded by the refused run already: a problem is kept once per stage, location and reason.
        assert con.execute("SELECT count(*) FROM ingest_errors WHERE stage = 'reprocess'").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM sightings").fetchone() == (len(captures) - 3,)
        dangling = (
            "SELECT count(*) FROM announcements WHERE original_article_id NOT IN (SELECT article_id FROM articles)"
        )
        assert con.execute(dangling).fetchone() == (0,)
    finally:
        con.close()


def test_reprocess_without_the_archive_keeps_nothing_dangling(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(captures)], db, config)
    shutil.rmtree(tmp_path / "raw")  # the database copied without its raw archive
    with pytest.raises(CommandFailed):
        reprocess(db, config)
    reprocess(db, config, allow_missing=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM announcements").fetchone() == (0,)
    finally:
        con.close()


_DERIVED = ("articles", "article_urls", "sightings", "announcements", "article_copies")


def _snapshot_of(digests: dict[str, str], tables: tuple[str, ...]) -> dict[str, str]:
    return {table: digests[table] for table in tables}
