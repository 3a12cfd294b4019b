"""SQL lives in `warehouse/` as .sql files; this finds them in a checkout or an installed wheel."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

__all__ = ["migration_files", "query_file", "sql", "sql_root", "views_sql"]


@cache
def sql_root() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "_warehouse"
    if packaged.is_dir():
        return packaged
    # An editable install or a plain checkout: src/iot_ingest/warehouse -> <repo>/warehouse.
    checkout = Path(__file__).resolve().parents[3] / "warehouse"
    if checkout.is_dir():
        return checkout
    raise RuntimeError("cannot find the warehouse SQL files (neither packaged nor in a checkout)")


@cache
def _named_statements(group: str) -> dict[str, str]:
    text = (sql_root() / "sql" / f"{group}.sql").read_text("utf-8")
    statements: dict[str, str] = {}
    for chunk in re.split(r"^-- name: *", text, flags=re.MULTILINE)[1:]:
        name, _, body = chunk.partition("\n")
        statements[name.strip()] = body.strip()
    return statements


def sql(name: str) -> str:
    """The statement `-- name: <stmt>` of `warehouse/sql/<group>.sql`, for name "<group>.<stmt>"."""
    group, _, statement = name.partition(".")
    try:
        return _named_statements(group)[statement]
    except (KeyError, FileNotFoundError):
        raise KeyError(f"no SQL statement {name!r} in warehouse/sql/") from None


def migration_files(directory: Path | None = None) -> list[tuple[int, str, Path]]:
    """(version, name, path) of every `warehouse/migrations/NNNN_name.sql`, in order.

    Two files with one number are refused: each change reserves its own number.
    """
    found = []
    for path in sorted((directory or sql_root() / "migrations").glob("*.sql")):
        number, _, name = path.stem.partition("_")
        if not number.isdigit():
            raise RuntimeError(f"migration file {path.name} does not start with a version number")
        found.append((int(number), name, path))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        shared = sorted({v for v in versions if versions.count(v) > 1})
        raise RuntimeError(f"two migration files share the version number {shared[0]:04d}")
    return found


def views_sql() -> str:
    return (sql_root() / "views.sql").read_text("utf-8")


def query_file(name: str) -> Path:
    return sql_root() / "queries" / f"{name}.sql"
