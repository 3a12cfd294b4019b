"""Conditional GET validators kept in the warehouse (`http_validators`)."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from iot_ingest.fetch.validators import Validators
from iot_ingest.warehouse.load import insert_batch, one

__all__ = ["WarehouseValidators"]


class WarehouseValidators:
    """Reads from the warehouse, buffers what a run learns; `flush()` writes it (in the caller's
    transaction), so validators are only kept for responses that were loaded."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._pending: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        if url in self._pending:
            return self._pending[url]
        row = one(self._con, "fetch.validators", [url])
        return Validators(row[0], row[1]) if row else None

    def put(self, url: str, validators: Validators) -> None:
        self._pending[url] = validators

    def discard(self) -> None:
        self._pending.clear()

    def flush(self) -> None:
        now = datetime.now(UTC)
        rows = [
            {"url": url, "etag": v.etag, "last_modified": v.last_modified, "updated_at": now}
            for url, v in sorted(self._pending.items())
        ]
        insert_batch(self._con, "fetch.upsert_validators", rows)
        self._pending.clear()
