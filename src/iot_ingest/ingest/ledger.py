"""The backfill-window ledger (`backfill_windows`) every kind of source records its windows in: a
window is done once, skipped by later backfills, and retried while it has failed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from iot_ingest.sources import Window
from iot_ingest.warehouse import Warehouse
from iot_ingest.warehouse.load import one
from iot_ingest.warehouse.target import WarehouseTarget

__all__ = ["WindowLedger"]


@dataclass(frozen=True)
class WindowLedger:
    source: str
    window: Window

    @property
    def _key(self) -> list[Any]:
        return [self.source, self.window.since, self.window.until]

    def done(self, target: WarehouseTarget) -> bool:
        with target.reading() as warehouse:
            return self.done_in(warehouse)

    def done_in(self, warehouse: Warehouse) -> bool:
        row = one(warehouse.con, "sources.window_status", self._key)
        return row is not None and row[0] == "done"

    def started(self, run_id: str) -> tuple[str, list[Any]]:
        """The statement that marks the window pending for `run_id`, to commit with its first batch."""
        return "sources.start_window", [*self._key, run_id]

    def finished(self, status: str, reason: str | None, items: int | None) -> tuple[str, list[Any]]:
        """The statement that closes the window, to commit with its last batch."""
        return "sources.finish_window", [status, reason[:1000] if reason else None, items, *self._key]
