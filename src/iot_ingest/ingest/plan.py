"""Which sources a run covers, and the span and parameters of a backfill."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from iot_ingest.config import AnySource, Config
from iot_ingest.errors import UsageError
from iot_ingest.sources import Window

__all__ = ["backfill_params", "backfill_span", "select_sources"]


def select_sources(config: Config, names: Sequence[str] = ()) -> list[AnySource]:
    """The named sources (each must exist), or every enabled one."""
    if names:
        return [config.source(name) for name in dict.fromkeys(names)]
    chosen = [s for s in config.sources if s.enabled]
    if not chosen:
        raise UsageError("no sources configured")
    return chosen


def backfill_span(since: date, until: date) -> Window:
    if until < since:
        raise UsageError(f"--until {until} is before --since {since}")
    return Window(since, until)


def backfill_params(span: Window, sources: Sequence[AnySource], force: bool) -> dict[str, Any]:
    return {
        "since": span.since.isoformat(),
        "until": span.until.isoformat(),
        "sources": [source.name for source in sources],
        "force": force,
    }
