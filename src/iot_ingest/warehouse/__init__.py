"""The Python side of the DuckDB warehouse: opening, locking, migrating and loading."""

from __future__ import annotations

from iot_ingest.warehouse.connection import (
    DEFAULT_DB,
    Warehouse,
    default_db_path,
    open_reader,
    open_writer,
)

__all__ = ["DEFAULT_DB", "Warehouse", "default_db_path", "open_reader", "open_writer"]
