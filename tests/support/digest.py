"""Reading a warehouse file in tests: rows of a query, and a digest of its tables to compare two."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import duckdb

# Every table a load writes; `runs` is left out because it records each invocation.
TABLES = (
    "responses",
    "articles",
    "article_urls",
    "sightings",
    "ingest_errors",
    "announcements",
    "article_copies",
    "article_bands",
)


def snapshot(db: Path, tables: tuple[str, ...] = TABLES) -> dict[str, str]:
    """A digest of every row of every table, independent of physical order and of run ids."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        digests = {}
        for table in tables:
            columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
            keep = [c for c in columns if c not in {"run_id", "recorded_at"}]
            rows = con.execute(f"SELECT {', '.join(keep)} FROM {table} ORDER BY ALL").fetchall()
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return digests
    finally:
        con.close()


def rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """All rows of `sql` on a read-only connection that is closed again at once."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
