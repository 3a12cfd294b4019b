"""Scheduled runs, backfills and analysts at the same time (issue: writers hold the database only
to commit). A feed `run`, a sitemap `backfill` and a CC-NEWS window write one warehouse at once
while readers poll it every half second; then a writer is killed mid-run. Timings are measured in
`bench/concurrency.py`; here the properties: no reader ever fails, rows become readable while a
run goes on, the writers fetch in parallel, and the result equals a sequential run's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from iot_ingest.config import parse_config
from iot_ingest.orchestrate import jobs
from tests.support.concurrency import (
    CCNEWS_SOURCE,
    FEED_SOURCE,
    SITEMAP_SOURCE,
    WRITERS,
    Outcome,
    Sites,
    run_writers,
    sites,
    write_config,
)
from tests.support.crash import RUN_DISTINCT, RUN_EXCLUDED, RUN_WHERE, table_digests

pytestmark = [pytest.mark.integration, pytest.mark.serial]

# Two correct loads by other interleavings differ in when things happened, and a killed run made
# requests of its own (the feed again, the pages it was fetching), so fetches compare as URL sets;
# which pages a second `run` skips as fetched before depends on what the first got to (RUN_WHERE).
EXCLUDED = {
    **RUN_EXCLUDED,
    "ccnews_files": frozenset({"started_at", "finished_at"}),
    "backfill_windows": frozenset({"started_at", "finished_at"}),
    "fetches": frozenset({"fetch_id", "requested_at", "elapsed_ms", "status", "error", "bytes", "skipped"}),
    "skipped_items": frozenset({"skipped_at"}),
    "http_validators": frozenset({"updated_at"}),
}
DISTINCT = RUN_DISTINCT | {"fetches"}


# History of what was observed along the way, not data: interleaved loads pass through other
# intermediate groupings than sequential ones, so announcement ids that changed on the way
# (aliased) and what a run's notification pass saw differ; the announcements themselves do not.
HISTORY = frozenset({"announcement_aliases", "notified_announcements"})


def _digests(db: Path) -> dict[str, str]:
    found = table_digests(db, EXCLUDED, distinct=DISTINCT, where=RUN_WHERE)
    return {table: digest for table, digest in found.items() if table not in HISTORY}


@pytest.fixture(scope="module")
def served() -> Iterator[Sites]:
    # Paced so that each writer runs for seconds and commits several times while it does.
    with sites(feed_rate=10.0, sitemap_rate=10.0, commit_every_s=0.5, ccnews_files=2, ccnews_records=150) as found:
        yield found


def _in_sequence(root: Path, text: str, names: list[str]) -> dict[str, str]:
    """The reference: the same writers one after another, in this process (the library path the CLI
    takes without Prefect, minus a process start per writer)."""
    config = parse_config(text, origin="test")
    db = root / "iot.duckdb"
    for name in names:
        if name == "run":
            jobs.ingest(db, config, [FEED_SOURCE])
        elif name == "backfill":
            jobs.backfill(db, config, date(2019, 1, 1), date(2019, 6, 30), [SITEMAP_SOURCE])
        else:
            jobs.backfill(db, config, date(2019, 4, 1), date(2019, 4, 30), [CCNEWS_SOURCE])
    return _digests(db)


@pytest.fixture(scope="module")
def sequential(served: Sites, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    # The run twice: a killed run and its re-run are two invocations as well.
    return _in_sequence(tmp_path_factory.mktemp("sequential"), served.config_text, [*WRITERS, "run"])


@pytest.fixture(scope="module")
def together(served: Sites, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Outcome]:
    root = tmp_path_factory.mktemp("together")
    config = write_config(root, served.config_text)
    outcome = run_writers(root / "iot.duckdb", config, list(WRITERS))
    assert all(w.returncode == 0 for w in outcome.writers.values()), _stderr(outcome)
    return root / "iot.duckdb", outcome


def test_readers_never_fail_while_three_writers_run(together: tuple[Path, Outcome]) -> None:
    _, outcome = together
    assert outcome.query and outcome.plain
    assert outcome.failures() == []


def test_rows_become_readable_while_the_run_goes_on(together: tuple[Path, Outcome]) -> None:
    _, outcome = together
    seen = outcome.seen_while("run")
    assert seen == sorted(seen), "a reader never sees the run's rows go backwards"
    assert len([v for v in seen if v > 0]) >= 3, f"the run's commits were readable as they came: {seen}"


def test_the_writers_fetch_at_the_same_time(together: tuple[Path, Outcome]) -> None:
    db, _ = together
    feed, sitemap = _fetching(db, FEED_SOURCE), _fetching(db, SITEMAP_SOURCE)
    overlap = min(feed[1], sitemap[1]) - max(feed[0], sitemap[0])
    assert overlap.total_seconds() > 0, f"the run fetched {feed}, the backfill {sitemap}: one waited for the other"


def test_the_warehouse_equals_a_sequential_runs(together: tuple[Path, Outcome], sequential: dict[str, str]) -> None:
    db, _ = together
    again = run_writers(db, db.parent / "iot-ingest.toml", ["run"], readers=False)
    assert again.writers["run"].returncode == 0, _stderr(again)
    assert _digests(db) == sequential


def test_a_killed_writer_is_invisible_to_readers_and_a_rerun_converges(
    served: Sites, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    # The run killed beside the CC-NEWS window (the backfill adds nothing to what this shows).
    reference = _in_sequence(tmp_path_factory.mktemp("killed-reference"), served.config_text, ["run", "ccnews", "run"])
    config = write_config(tmp_path, served.config_text)
    db = tmp_path / "iot.duckdb"
    killed = run_writers(db, config, ["run", "ccnews"], kill=("run", 3.0))
    assert killed.writers["run"].returncode == -9
    assert killed.failures() == [], "readers go on reading the last published warehouse"
    again = run_writers(db, config, ["run"], readers=False)
    assert again.writers["run"].returncode == 0, _stderr(again)
    assert _digests(db) == reference


def _fetching(db: Path, source: str) -> tuple[datetime, datetime]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT min(requested_at), max(requested_at) FROM fetches WHERE source = ?", [source]
        ).fetchone()
    finally:
        con.close()
    assert row is not None and row[0] is not None
    return row[0], row[1]


def _stderr(outcome: Outcome) -> str:
    return "\n".join(f"{w.name} exited {w.returncode}: {w.stderr[-2000:]}" for w in outcome.writers.values())
