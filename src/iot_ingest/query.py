"""`query`: SQL on a read-only connection, printed as a table, CSV or one JSON array."""

from __future__ import annotations

import base64
import csv
import json
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from uuid import UUID

import duckdb

from iot_ingest.config import Config
from iot_ingest.errors import UsageError
from iot_ingest.warehouse import open_reader

__all__ = ["run_query"]


def run_query(db_path: Path, config: Config, text: str, *, output_format: str, out: TextIO) -> None:
    with open_reader(db_path, config) as con:
        try:
            cursor = con.execute(text)
        except duckdb.PermissionException as exc:
            raise UsageError(f"the warehouse is read-only here, files included: {_first_line(exc)}") from None
        except duckdb.InvalidInputException as exc:
            message = _first_line(exc)
            if "read-only" in message:
                raise UsageError(f"the warehouse is read-only here: {message}") from None
            raise UsageError(message) from None
        except duckdb.Error as exc:
            raise UsageError(f"bad SQL: {_first_line(exc)}") from None
        if cursor.description is None:
            return
        columns = [d[0] for d in cursor.description]
        json_columns = {d[0] for d in cursor.description if str(d[1]).upper() == "JSON"}
        rows = cursor.fetchall()
    if output_format == "json":
        objects = [
            {c: (_parse_json(v) if c in json_columns else v) for c, v in zip(columns, row, strict=True)} for row in rows
        ]
        json.dump(objects, out, default=_jsonable, ensure_ascii=False)
        out.write("\n")
    elif output_format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
    else:
        _print_table(columns, rows, out)


def _print_table(columns: list[str], rows: list[tuple[Any, ...]], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, show_lines=False, header_style="bold")
    for row in rows:
        table.add_row(*("" if v is None else str(_plain(v)) for v in row))
    terminal = out.isatty() if hasattr(out, "isatty") else False
    console = Console(file=out, width=None if terminal else 200, no_color=not terminal)
    console.print(table)
    console.print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
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
