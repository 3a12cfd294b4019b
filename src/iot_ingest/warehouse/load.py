"""Batch loading through Arrow: one registered batch per statement, never row by row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

from iot_ingest.warehouse.sql_files import sql

__all__ = ["insert_batch", "lookup", "one"]


def insert_batch(
    con: duckdb.DuckDBPyConnection, statement: str, rows: Sequence[dict[str, Any]], *, columns: str | None = None
) -> None:
    """Run the named load statement over `rows`, visible to it as the relation `batch`. Nothing to
    run for no rows, unless the statement does more than load them: then `columns` ("name TYPE, ...")
    gives the empty batch its shape."""
    if not rows and columns is None:
        return
    if rows:
        con.register("batch", pa.Table.from_pylist(list(rows)))
    else:
        con.register(
            "batch", con.sql(f"SELECT * FROM (SELECT NULL::STRUCT({columns}) AS r) WHERE false").select("unnest(r)")
        )
    try:
        con.execute(sql(statement))
    finally:
        con.unregister("batch")


def lookup(con: duckdb.DuckDBPyConnection, statement: str, *params: list[str] | str) -> list[tuple[Any, ...]]:
    """Run a named lookup whose parameters are lists (joined against with unnest), and perhaps a
    value (a topic); nothing to look up when the first list is empty."""
    if not params or not params[0]:
        return []
    return con.execute(sql(statement), list(params)).fetchall()


def one(con: duckdb.DuckDBPyConnection, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
    """The first row of a named query, or None. Reads the result to the end: DuckDB refuses other
    work on a connection that still has an unfinished result."""
    rows = con.execute(sql(statement), list(params)).fetchall()
    return rows[0] if rows else None
