"""The run log: every command or flow run that writes leaves a `runs` row with what it did."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from iot_ingest.warehouse.sql_files import sql

__all__ = ["Run", "recorded_run", "start_run"]


@dataclass
class Run:
    run_id: str
    flow: str
    counts: Counter[str] = field(default_factory=Counter)

    def finish(self, con: duckdb.DuckDBPyConnection, status: str) -> None:
        con.execute(
            sql("runs.finish"),
            [datetime.now(UTC), status, json.dumps(dict(sorted(self.counts.items()))), self.run_id],
        )


def start_run(con: duckdb.DuckDBPyConnection, flow: str, params: dict[str, Any], run_id: str | None = None) -> Run:
    run = Run(run_id=run_id or uuid.uuid4().hex, flow=flow)
    con.execute(sql("runs.start"), [run.run_id, flow, datetime.now(UTC), json.dumps(params, default=str)])
    return run


@contextlib.contextmanager
def recorded_run(con: duckdb.DuckDBPyConnection, flow: str, params: dict[str, Any]) -> Iterator[Run]:
    """A `runs` row around a block: completed, interrupted (Ctrl-C) or failed, with its counts."""
    run = start_run(con, flow, params)
    status = "failed"
    try:
        yield run
        status = "completed"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        run.finish(con, status)
