"""`iot-ingest query` outputs: CSV when piped, and files written with --out (Parquet, CSV, JSON)
from a connection that may not write files itself."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.support.demo_warehouse import demo_warehouse_fixture

pytestmark = pytest.mark.integration

Cli = Callable[..., Any]

demo_db = demo_warehouse_fixture()

ANNOUNCEMENTS = "SELECT announced_on, headline, institutes, funding_gbp FROM v_announcements ORDER BY announced_on"


def test_piped_output_is_csv_unless_asked(cli: Cli, demo_db: Path) -> None:
    done = cli("query", "--db", demo_db, ANNOUNCEMENTS)
    assert done.code == 0, done.err
    rows = list(csv.reader(io.StringIO(done.out)))
    assert rows[0] == ["announced_on", "headline", "institutes", "funding_gbp"]
    assert rows[1][:2] == ["2019-04-10", "The First Twelve Institutes of Technology Announced"]
    assert isinstance(json.loads(rows[1][2]), list), "a list cell is JSON"
    assert len(rows) == 5
    table = cli("query", "--db", demo_db, "--format", "table", ANNOUNCEMENTS)
    assert "(4 rows)" in table.out


def test_out_parquet_keeps_types(cli: Cli, demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "announcements.parquet"
    done = cli("query", "--db", demo_db, "--out", target, ANNOUNCEMENTS)
    assert done.code == 0, done.err
    assert done.out.strip() == f"wrote 4 rows to {target}"
    table = pq.read_table(target)
    assert table.column_names == ["announced_on", "headline", "institutes", "funding_gbp"]
    assert str(table.schema.field("announced_on").type) == "date32[day]"
    assert str(table.schema.field("institutes").type).startswith("list<")
    assert table.column("funding_gbp").to_pylist() == [170_000_000, 120_000_000, 120_000_000, 21_000_000]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_out_csv_and_json_match_stdout(cli: Cli, demo_db: Path, tmp_path: Path) -> None:
    saved = Path(__file__).resolve().parents[2] / "warehouse" / "queries" / "republished_10_april_2019.sql"
    for fmt in ("csv", "json"):
        target = tmp_path / f"republished.{fmt}"
        done = cli("query", "--db", demo_db, "--file", saved, "--out", target)
        assert done.code == 0, done.err
        printed = cli("query", "--db", demo_db, "--file", saved, "--format", fmt)
        assert target.read_text("utf-8") == printed.out
    rows = json.loads((tmp_path / "republished.json").read_text("utf-8"))
    assert [r["outlet"] for r in rows][1:] == ["FE News", "PES Media", "Manufacturing Management"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--out", "x.xlsx", "SELECT 1"), "ending in .parquet, .csv, .json"),
        (("--out", "missing/x.csv", "SELECT 1"), "no such directory"),
        (("--out", "x.csv", "--format", "json", "SELECT 1"), "not both"),
        (("--out", "x.csv", "DELETE FROM articles"), "read-only"),
        (("--out", "x.parquet", "SELECT INTERVAL 1 HOUR AS lag"), "cast it"),
    ],
)
def test_out_errors_are_one_line_and_write_nothing(
    cli: Cli, demo_db: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = cli("query", "--db", demo_db, *args)
    assert done.code == 2
    assert message in done.err
    assert len(done.err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "nothing written"
