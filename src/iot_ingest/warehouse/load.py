"""Batch loading through Arrow: one registered batch per statement, never row by row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

from iot_ingest.warehouse.sql_files import sql

__all__ = ["insert_batch", "lookup", "one"]


def insert_batch(con: duckdb.DuckDBPyConnection, statement: str, rows: Sequence[dict[str, Any]]) -> None:
    """Run the named load statement over `rows`, visible to it as the relation `batch`."""
    if not rows:
        return
    con.register("batch", pa.Table.from_pylist(list(rows)))
    try:
        con.execute(sql(statement))
    finally:
        con.unregister("batch")


def lookup(con: duckdb.DuckDBPyConnection, statement: str, *params: list[str]) -> list[tuple[Any, ...]]:
    """Run a named lookup whose parameters are lists (joined against with unnest)."""
    if not params or not params[0]:
        return []
    return con.execute(sql(statement), list(params)).fetchall()


def one(con: duckdb.DuckDBPyConnection, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
    """The first row of a named query, or None. Reads the result to the end: DuckDB refuses other
    work on a connection that still has an unfinished result."""
    rows = con.execute(sql(statement), list(params)).fetchall()
    return rows[0] if rows else None
