"""The run log: every command or flow run that writes leaves a `runs` row with what it did."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from iot_ingest.warehouse.sql_files import sql

__all__ = ["Run", "start_run"]


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
