"""The `institutes` table: the registry's institutes, dated by the announcements that name them, and
every other institute an announcement names, as `proposed`. Rebuilt whole after each regrouping
(a few dozen rows), inside the caller's transaction.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import duckdb

from iot_ingest.extract.facts.institutes import known_institutes, resolve, slug
from iot_ingest.warehouse.load import insert_batch
from iot_ingest.warehouse.sql_files import sql

__all__ = ["institute_id", "refresh_institutes", "registry_rows"]


def institute_id(key: str | None, name: str) -> str:
    """The institute a name stands for: the registry's, by the key the facts gave it or by any of
    its names; else the name's own key (a new, proposed institute)."""
    if key in _registry_keys():
        return key
    known = resolve(name)
    return known.key if known else (key or slug(name))


@cache
def _registry_keys() -> frozenset[str]:
    return frozenset(k.key for k in known_institutes())


def registry_rows() -> list[dict[str, Any]]:
    return [
        {
            "institute_id": k.key,
            "name": k.name or k.lead,
            "lead_provider": k.lead,
            "wave": k.wave,
            "status": k.status,
            "announced_on": k.announced_on,
            "opened_on": k.opened_on,
            "partners": list(k.partners),
            "aliases": [a for a in (k.lead, *k.aliases) if a != (k.name or k.lead)],
        }
        for k in known_institutes()
    ]


def refresh_institutes(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql("dedup.clear_institutes"))
    insert_batch(con, "dedup.insert_institutes", registry_rows())
