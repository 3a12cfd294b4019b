"""Conditional GET validators kept in the warehouse (`http_validators`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import duckdb

from iot_ingest.fetch.validators import Validators
from iot_ingest.warehouse.load import lookup

__all__ = ["WarehouseValidators"]


class _Stager(Protocol):
    def stage(self, statement: str, rows: Sequence[dict[str, Any]]) -> None: ...


class WarehouseValidators:
    """What the warehouse knew when a unit started (read once, so fetching never waits for the
    database), plus what the unit learns; `stage()` hands the learnt ones to the unit's next commit,
    so validators are only kept for responses that were loaded."""

    def __init__(
        self, known: dict[str, Validators], fallback: Callable[[str], Validators | None] | None = None
    ) -> None:
        self._known = known
        self._fallback = fallback
        self._pending: dict[str, Validators] = {}
        self._asked: set[str] = set()  # looked up through `fallback` already, found or not

    @classmethod
    def preloaded(
        cls,
        con: duckdb.DuckDBPyConnection,
        urls: Iterable[str] = (),
        prefixes: Iterable[str] = (),
        fallback: Callable[[str], Validators | None] | None = None,
    ) -> WarehouseValidators:
        """Validators of these URLs and of every URL under these prefixes (a source's hosts);
        `fallback` looks up any other URL when it is asked for."""
        rows = lookup(con, "fetch.validators_of", sorted(set(urls)))
        rows += lookup(con, "fetch.validators_under", sorted(set(prefixes)))
        return cls({url: Validators(etag, modified) for url, etag, modified in rows}, fallback)

    def get(self, url: str) -> Validators | None:
        if url in self._pending:
            return self._pending[url]
        if url not in self._known and url not in self._asked and self._fallback is not None:
            self._asked.add(url)
            found = self._fallback(url)
            if found is not None:
                self._known[url] = found
        return self._known.get(url)

    def put(self, url: str, validators: Validators) -> None:
        self._pending[url] = validators

    def discard(self) -> None:
        self._pending.clear()

    def stage(self, stager: _Stager) -> None:
        now = datetime.now(UTC)
        rows = [
            {"url": url, "etag": v.etag, "last_modified": v.last_modified, "updated_at": now}
            for url, v in sorted(self._pending.items())
        ]
        stager.stage("fetch.upsert_validators", rows)
        self._known.update(self._pending)
        self._pending.clear()
