"""The `institutes` table: each topic's registry, dated by the announcements that name them, and
every other institute an announcement names, as `proposed`. Rebuilt whole after each regrouping
(a few dozen rows per topic), inside the caller's transaction.
"""

from __future__ import annotations

from typing import Any

import duckdb

from iot_ingest.extract.facts import Subject
from iot_ingest.extract.facts.institutes import resolve, slug
from iot_ingest.topics import Topic, TopicSet
from iot_ingest.warehouse.load import insert_batch
from iot_ingest.warehouse.sql_files import sql

__all__ = ["institute_id", "refresh_institutes", "registry_rows"]

# The registry rows' shape, for topics whose registries are empty (their proposed institutes still load).
_REGISTRY_COLUMNS = (
    "institute_id VARCHAR, name VARCHAR, lead_provider VARCHAR, wave INTEGER, status VARCHAR, announced_on DATE, "
    "opened_on DATE, partners VARCHAR[], aliases VARCHAR[], topic VARCHAR"
)


def institute_id(key: str | None, name: str, subject: Subject, topic: str | None = None) -> str:
    """The institute a name stands for: the registry's, by the key the facts gave it or by any of
    its names; else the name's own key (a new, proposed institute), under `topic` when given (the
    same name in two topics' news is two topics' institutes; registry keys are unique across topics)."""
    if key in subject.registry.keys:
        return key
    known = resolve(name, subject)
    if known:
        return known.key
    own = key or slug(name)
    return own if topic is None else f"{topic}:{own}"


def registry_rows(topic: Topic) -> list[dict[str, Any]]:
    return [
        {
            "institute_id": k.key,
            "name": k.name or k.lead,
            "lead_provider": None if k.lead == k.name else k.lead,  # a registry that names no lead
            "wave": k.wave,
            "status": k.status,
            "announced_on": k.announced_on,
            "opened_on": k.opened_on,
            "partners": list(k.partners),
            "aliases": [a for a in (k.lead, *k.aliases) if a != (k.name or k.lead)],
            "topic": topic.name,
        }
        for k in topic.subject.registry.institutes
    ]


def refresh_institutes(con: duckdb.DuckDBPyConnection, topics: TopicSet) -> None:
    con.execute(sql("dedup.clear_institutes"))
    rows = [row for topic in topics for row in registry_rows(topic)]
    insert_batch(con, "dedup.insert_institutes", rows, columns=_REGISTRY_COLUMNS)
