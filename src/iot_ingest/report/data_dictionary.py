"""docs/data-dictionary.md from the live schema: `python -m iot_ingest.report.data_dictionary [PATH]`
(or `make docs`). `--check PATH` exits 1 when the file at PATH is not what the schema gives.

The schema is built by the real migrations and views in an in-memory database, so the dictionary
lists exactly what a warehouse has. Descriptions come, first found wins, from
`table_descriptions.toml` beside this module, a `COMMENT ON` in the schema (every view has
them, in warehouse/views.sql), and the SQL comment a migration wrote on or above the definition.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from iot_ingest.warehouse.migrate import migrate
from iot_ingest.warehouse.sql_files import migration_files

__all__ = ["Column", "Relation", "main", "migration_comments", "read_schema", "render"]

DEFAULT_PATH = Path("docs/data-dictionary.md")


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    key: bool
    description: str


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str  # table | view
    description: str
    columns: list[Column]


def read_schema() -> list[Relation]:
    """Every table and view a freshly migrated warehouse has, described."""
    con = duckdb.connect()
    try:
        migrate(con, db_label="(data dictionary)")
        return _describe(con)
    finally:
        con.close()


def _describe(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    notes = tomllib.loads(resources.files(__package__).joinpath("table_descriptions.toml").read_text("utf-8"))
    tables, columns = migration_comments([path.read_text("utf-8") for _, _, path in migration_files()])
    keys = {
        (table, column)
        for table, names in con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'"
        ).fetchall()
        for column in names
    }
    relations = con.execute(
        "SELECT table_name, 'table', comment FROM duckdb_tables() WHERE NOT internal "
        "UNION ALL SELECT view_name, 'view', comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
        "ORDER BY 2, 1"
    ).fetchall()
    described = []
    for name, kind, comment in relations:
        note = notes.get(name, {})
        column_notes = note.get("columns", {})
        rows = con.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [name],
        ).fetchall()
        described.append(
            Relation(
                name=name,
                kind=kind,
                description=note.get("description") or comment or tables.get(name, ""),
                columns=[
                    Column(
                        name=column,
                        data_type=data_type,
                        key=(name, column) in keys,
                        description=column_notes.get(column) or column_comment or columns.get((name, column), ""),
                    )
                    for column, data_type, column_comment in rows
                ],
            )
        )
    return described


_CREATE = re.compile(r"^\s*CREATE TABLE\s+(?:IF NOT EXISTS\s+)?(\w+)", re.IGNORECASE)
_ADD = re.compile(r"^\s*ALTER TABLE\s+(\w+)\s+ADD COLUMN\s+(?:IF NOT EXISTS\s+)?(\w+)", re.IGNORECASE)
_COLUMN = re.compile(r"^\s*(\w+)\s+[A-Za-z]")
_NOT_COLUMNS = {"primary", "unique", "foreign", "check", "constraint"}


def migration_comments(texts: Sequence[str]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """(table descriptions, column descriptions) from migration SQL: the comment lines right above
    a CREATE TABLE or ALTER TABLE ... ADD COLUMN, and a column definition's trailing comment."""
    tables: dict[str, str] = {}
    columns: dict[tuple[str, str], str] = {}
    for text in texts:
        block: list[str] = []
        table: str | None = None
        for line in text.splitlines():
            code, _, trailing = line.partition("--")
            trailing = trailing.strip()
            if not code.strip():
                block = [*block, trailing] if trailing else []
                continue
            if table is not None:
                if code.strip().startswith(")"):
                    table = None
                elif (match := _COLUMN.match(code)) and match[1].lower() not in _NOT_COLUMNS and trailing:
                    columns[(table, match[1])] = trailing
            elif match := _CREATE.match(code):
                table = match[1]
                if block:
                    tables[table] = " ".join(block)
            elif (match := _ADD.match(code)) and (trailing or block):
                columns[(match[1], match[2])] = trailing or " ".join(block)
            block = []
    return tables, columns


def render(relations: Sequence[Relation]) -> str:
    latest = max((version for version, _, _ in migration_files()), default=0)
    lines = [
        "# Data dictionary",
        "",
        "Every table and view of the warehouse, as migrations up to "
        f"{latest:04d} and `warehouse/views.sql` create them. Generated by `make docs`",
        "(`python -m iot_ingest.report.data_dictionary docs/data-dictionary.md`); do not edit by hand: describe",
        "a table's columns in `src/iot_ingest/report/table_descriptions.toml` or in a SQL comment of its",
        "migration, a view's with `COMMENT ON` in `warehouse/views.sql`. Timestamps are UTC.",
        "",
    ]
    for kind, heading in (("view", "Views"), ("table", "Tables")):
        chosen = [r for r in relations if r.kind == kind]
        lines += [f"## {heading}", "", *(f"- [`{r.name}`](#{r.name})" for r in chosen), ""]
        for relation in chosen:
            lines += [f"### {relation.name}", ""]
            if relation.description:
                lines += [_cell(relation.description), ""]
            lines += ["| column | type | description |", "|---|---|---|"]
            for column in relation.columns:
                key = " (key)" if column.key else ""
                lines.append(f"| `{column.name}`{key} | {column.data_type} | {_cell(column.description)} |")
            lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    path = Path(paths[0]) if paths else DEFAULT_PATH
    text = render(read_schema())
    if check:
        current = path.read_text("utf-8") if path.is_file() else ""
        if current != text:
            print(f"{path} is out of date with the schema: run `make docs`", file=sys.stderr)
            return 1
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
