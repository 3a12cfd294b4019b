"""Runs through the library's run loop, as tests want their results: counts by name."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from iot_ingest.config import Config
from iot_ingest.orchestrate import backfill


def backfill_counts(db: Path, config: Config, since: date, until: date, *, force: bool = False) -> Counter[str]:
    """A backfill through the run loop, with its run's counts (0 for a count it never touched)."""
    return Counter(backfill(db, config, since, until, force=force).total.as_dict())
