"""reprocess rebuilds the derived tables from the raw archive alone, identically, atomically."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import Config
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
    assert counts["reprocessed"] == len(captures)
    assert counts["responses_archived"] == 0
    assert _snapshot(db) == before
    assert {p.name: p.stat().st_size for p in (tmp_path / "raw").iterdir()} == raw_before


def test_an_unreadable_archive_file_is_recorded_and_the_rest_rebuilt(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(captures[:3], name="a.warc.gz")], db, config)
    first_files = {p.name for p in (tmp_path / "raw").iterdir()}
    import_warcs([warc_of(captures[3:], name="b.warc.gz")], db, config)
    (lost,) = first_files
    shutil.move(tmp_path / "raw" / lost, tmp_path / lost)
    counts = reprocess(db, config)
    assert counts["unreadable"] == 3
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM ingest_errors WHERE stage = 'reprocess'").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM sightings").fetchone() == (len(captures) - 3,)
    finally:
        con.close()
