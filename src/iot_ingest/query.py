"""`query`: SQL on a read-only connection, printed as a table, CSV or one JSON array, or written
to a Parquet, CSV or JSON file."""

from __future__ import annotations

import base64
import contextlib
import csv
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from uuid import UUID

import duckdb

from iot_ingest.config import Config
from iot_ingest.errors import UsageError
from iot_ingest.output_files import check_target, write_atomically
from iot_ingest.warehouse import open_reader

__all__ = ["OUT_SUFFIXES", "default_format", "run_query", "write_query"]

OUT_SUFFIXES = (".parquet", ".csv", ".json")


@dataclass(frozen=True)
class _Result:
    columns: list[str]
    json_columns: frozenset[str]
    rows: list[tuple[Any, ...]]


def default_format(out: TextIO) -> str:
    """A table for a person at a terminal; CSV for a pipe or a file, which programs read."""
    return "table" if _is_terminal(out) else "csv"


def run_query(
    db_path: Path, config: Config, text: str, *, output_format: str, out: TextIO, topic: str | None = None
) -> None:
    with open_reader(db_path, config, topic=topic) as con, _translated_errors():
        relation = con.sql(text)
        if relation is None:
            return
        result = _fetch(relation)
    _print(result, output_format, out)


def write_query(db_path: Path, config: Config, text: str, target: Path, *, topic: str | None = None) -> int:
    """Run the SQL and write its rows to `target` (.parquet, .csv or .json); return the row count.

    The reader may not write files itself (external access is off), so the rows come back to
    Python and are written from here.
    """
    check_target(target, OUT_SUFFIXES, "a query writes Parquet, CSV or JSON")
    suffix = target.suffix.lower()
    with open_reader(db_path, config, topic=topic) as con, _translated_errors():
        relation = con.sql(text)
        if relation is None:
            raise UsageError("the SQL returns no rows to write")
        if suffix == ".parquet":
            table = relation.to_arrow_table()
            write_atomically(target, lambda path: _write_parquet(table, path))
            return int(table.num_rows)
        result = _fetch(relation)

    def write_text(path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            _print(result, suffix.removeprefix("."), handle)

    write_atomically(target, write_text)
    return len(result.rows)


def _fetch(relation: duckdb.DuckDBPyRelation) -> _Result:
    json_columns = frozenset(
        c for c, t in zip(relation.columns, relation.types, strict=True) if str(t).upper() == "JSON"
    )
    return _Result(columns=list(relation.columns), json_columns=json_columns, rows=relation.fetchall())


def _write_parquet(table: Any, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pq.write_table(table, path)
    except pa.ArrowNotImplementedError as exc:
        raise UsageError(f"Parquet cannot hold a column of this query ({exc}); cast it, e.g. to VARCHAR") from None


@contextlib.contextmanager
def _translated_errors() -> Iterator[None]:
    """DuckDB's refusals as one-line usage errors: binding fails in `sql`, execution in a fetch."""
    try:
        yield
    except duckdb.PermissionException as exc:
        raise UsageError(f"the warehouse is read-only here, files included: {_first_line(exc)}") from None
    except duckdb.InvalidInputException as exc:
        message = _first_line(exc)
        if "read-only" in message:
            raise UsageError(f"the warehouse is read-only here: {message}") from None
        raise UsageError(message) from None
    except duckdb.Error as exc:
        raise UsageError(f"bad SQL: {_first_line(exc)}") from None


def _print(result: _Result, output_format: str, out: TextIO) -> None:
    columns, rows = result.columns, result.rows
    if output_format == "json":
        objects = [
            {c: _finite(_parse_json(v) if c in result.json_columns else v) for c, v in zip(columns, row, strict=True)}
            for row in rows
        ]
        json.dump(objects, out, default=_jsonable, ensure_ascii=False, allow_nan=False)
        out.write("\n")
    elif output_format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
    else:
        _print_table(columns, rows, out)


def _print_table(columns: list[str], rows: list[tuple[Any, ...]], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, show_lines=False, header_style="bold")
    for row in rows:
        table.add_row(*("" if v is None else str(_cell(v)) for v in row))
    terminal = _is_terminal(out)
    console = Console(file=out, width=None if terminal else 200, no_color=not terminal)
    console.print(table)
    console.print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def _is_terminal(out: TextIO) -> bool:
    return out.isatty() if hasattr(out, "isatty") else False


def _cell(value: Any) -> Any:
    """A value as CSV and table cells show it: dates in ISO form, lists and structs as JSON."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, default=_jsonable, ensure_ascii=False)
    return value


def _finite(value: Any) -> Any:
    """NaN and infinities have no JSON spelling: they are null, so every reader can parse the output."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def _parse_json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
