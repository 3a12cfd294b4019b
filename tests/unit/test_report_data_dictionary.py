"""docs/data-dictionary.md is what the live schema gives, and every column of it is described."""

from __future__ import annotations

from pathlib import Path

from iot_ingest.report.data_dictionary import main, migration_comments, read_schema, render

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"


def test_the_committed_data_dictionary_is_current() -> None:
    assert COMMITTED.read_text("utf-8") == render(read_schema()), "docs/data-dictionary.md is stale: run `make docs`"


def test_check_mode_reports_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "dd.md"
    stale.write_text("# Data dictionary\n\nold\n", "utf-8")
    assert main(["--check", str(stale)]) == 1
    assert main([str(stale)]) == 0
    assert main(["--check", str(stale)]) == 0


def test_every_table_and_view_is_listed_and_every_view_column_described() -> None:
    relations = {r.name: r for r in read_schema()}
    for name in ("articles", "announcements", "announcement_institutes", "fetches", "runs", "source_state"):
        assert relations[name].kind == "table"
    for name in ("v_announcements", "v_institutes", "v_coverage", "v_pipeline_health", "v_articles"):
        view = relations[name]
        assert view.kind == "view" and view.description
        assert [c.name for c in view.columns if not c.description] == [], name
    announcements = {c.name: c for c in relations["announcements"].columns}
    assert announcements["announcement_id"].key
    assert not announcements["headline"].key
    assert announcements["funding_gbp"].data_type == "BIGINT"


def test_migration_comments() -> None:
    tables, columns = migration_comments(
        [
            "-- The file's purpose, not a table's.\n\n"
            "-- One row per widget.\n-- Kept forever.\n"
            "CREATE TABLE widgets (\n"
            "    widget_id VARCHAR PRIMARY KEY,   -- stable id\n"
            "    size      INTEGER,\n"
            "    PRIMARY KEY (widget_id)          -- not a column\n"
            ");\n"
            "-- Why widgets have colours.\n"
            "ALTER TABLE widgets ADD COLUMN colour VARCHAR;\n"
            "ALTER TABLE widgets ADD COLUMN shade VARCHAR; -- light or dark\n"
        ]
    )
    assert tables == {"widgets": "One row per widget. Kept forever."}
    assert columns == {
        ("widgets", "widget_id"): "stable id",
        ("widgets", "colour"): "Why widgets have colours.",
        ("widgets", "shade"): "light or dark",
    }
