"""SIGKILL `import-warc` and `run` at chosen moments, re-run them, and find nothing lost or doubled.

The warehouse after kill + re-run must digest like an uninterrupted load (see tests/support/crash.py
for the columns left out and why), and the raw archive must hold every response exactly once.
The longer sweep with many kill points is tests/reliability/crash_sweep.py; figures in RELIABILITY.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import write_warc
from tests.support.crash import (
    IMPORT_EXCLUDED,
    IMPORT_WHERE,
    RUN_DISTINCT,
    RUN_ENV,
    RUN_EXCLUDED,
    RUN_WHERE,
    Trigger,
    archive_census,
    archive_past,
    commit_after,
    completed,
    first_member,
    import_argv,
    loopback_sites,
    many_captures,
    run_and_kill,
    run_argv,
    set_aside_reasons,
    table_digests,
    tear_tail,
)

pytestmark = [pytest.mark.integration, pytest.mark.serial]

# 17 copies of the 16 sample captures: 272 records, two load batches of at most 250.
COPIES = 17
RECORD_BYTES = 3_900  # about one compressed sample record in the raw archive


@pytest.fixture(scope="module")
def warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_warc(tmp_path_factory.mktemp("input") / "input.warc.gz", many_captures(COPIES))


@pytest.fixture(scope="module")
def import_reference(warc: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    where = tmp_path_factory.mktemp("reference")
    completed(import_argv(where / "iot.duckdb", warc), cwd=where)
    return table_digests(where / "iot.duckdb", IMPORT_EXCLUDED, where=IMPORT_WHERE)


def _killed_then_completed(tmp_path: Path, warc: Path, trigger: Callable[[Path, Path], Trigger]) -> Path:
    db = tmp_path / "iot.duckdb"
    outcome = run_and_kill(import_argv(db, warc), trigger(tmp_path / "raw", db), db=db, cwd=tmp_path)
    assert outcome.killed, f"finished before the kill point ({outcome.seconds:.1f}s): {outcome.stderr[-500:]}"
    completed(import_argv(db, warc), cwd=tmp_path)
    return db


@pytest.mark.parametrize(
    "trigger",
    [
        pytest.param(lambda raw, db: commit_after(raw, db, 240 * RECORD_BYTES), id="during-the-first-commit"),
        pytest.param(lambda raw, db: archive_past(raw, 260 * RECORD_BYTES), id="while-archiving-the-second-batch"),
    ],
)
def test_a_killed_import_completes_to_the_same_warehouse_and_archive(
    tmp_path: Path, warc: Path, import_reference: dict[str, str], trigger: Callable[[Path, Path], Trigger]
) -> None:
    db = _killed_then_completed(tmp_path, warc, trigger)
    assert table_digests(db, IMPORT_EXCLUDED, where=IMPORT_WHERE) == import_reference
    census = archive_census(db, tmp_path / "raw")
    assert census.exact, census
    assert census.records == COPIES * 16


# The kill inside the first batch's archive writes is the torn-tail test's own.
def test_a_torn_archive_tail_is_cut_kept_aside_and_recorded(
    tmp_path: Path, warc: Path, import_reference: dict[str, str]
) -> None:
    db = tmp_path / "iot.duckdb"
    kill = archive_past(tmp_path / "raw", 40 * RECORD_BYTES)
    outcome = run_and_kill(import_argv(db, warc), kill, db=db, cwd=tmp_path)
    assert outcome.killed
    member = first_member(warc)
    torn = tear_tail(tmp_path / "raw", member, len(member) // 2)
    completed(import_argv(db, warc), cwd=tmp_path)

    assert table_digests(db, IMPORT_EXCLUDED, where=IMPORT_WHERE) == import_reference
    assert archive_census(db, tmp_path / "raw").exact
    (reason,) = set_aside_reasons(db)
    assert "never committed" in reason and "torn tail (truncated gzip member" in reason
    kept = list((tmp_path / "raw" / "recovered").glob(f"{torn.name}.*.tail"))
    assert len(kept) == 1 and kept[0].read_bytes().endswith(member[: len(member) // 2]), "the cut bytes are kept"


# ---- `run` against loopback sites ---------------------------------------------------------------


@pytest.fixture(scope="module")
def site_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with loopback_sites() as text:
        path = tmp_path_factory.mktemp("sites") / "iot-ingest.toml"
        path.write_text(text, "utf-8")
        yield path


@pytest.fixture(scope="module")
def run_reference(site_config: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    # Two uninterrupted runs: a killed run and its re-run are two invocations as well.
    where = tmp_path_factory.mktemp("run-reference")
    for _ in range(2):
        completed(run_argv(where / "iot.duckdb", site_config), cwd=where, env=RUN_ENV)
    return table_digests(where / "iot.duckdb", RUN_EXCLUDED, distinct=RUN_DISTINCT, where=RUN_WHERE)


@pytest.mark.parametrize(
    "trigger",
    [
        pytest.param(lambda raw, db: archive_past(raw, 20_000), id="while-archiving-pages"),
        pytest.param(lambda raw, db: commit_after(raw, db, 20_000), id="while-committing-a-batch"),
    ],
)
def test_a_killed_run_completes_to_the_same_warehouse_and_archive(
    tmp_path: Path, site_config: Path, run_reference: dict[str, str], trigger: Callable[[Path, Path], Trigger]
) -> None:
    db = tmp_path / "iot.duckdb"
    argv = run_argv(db, site_config)
    outcome = run_and_kill(argv, trigger(tmp_path / "raw", db), db=db, cwd=tmp_path, env=RUN_ENV)
    assert outcome.killed, f"finished before the kill point: {outcome.stderr[-500:]}"
    assert any((tmp_path / "raw").glob("*.warc.gz")), "killed while writing, not before"
    completed(argv, cwd=tmp_path, env=RUN_ENV)
    assert table_digests(db, RUN_EXCLUDED, distinct=RUN_DISTINCT, where=RUN_WHERE) == run_reference
    census = archive_census(db, tmp_path / "raw")
    assert census.exact, census


class _Killed(BaseException):
    """Dies like SIGKILL would at that point: nothing after it runs, no handler catches it."""


def test_a_death_right_after_a_batch_commit_loses_no_fetch_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Not reachable by a timed SIGKILL often enough to test (a window of microseconds), so the
    # death is placed in-process: right after the batch that loads the fetched page commits.
    from iot_ingest.config import parse_config
    from iot_ingest.ingest import batch
    from iot_ingest.ingest.fetch_urls import fetch_urls
    from tests.support.digest import rows
    from tests.support.fakes import FakeTradePress, sample_dataset

    real_flush = batch.Ingestor.flush

    def flush_then_die(self: batch.Ingestor) -> None:
        loading = bool(self._captures)
        real_flush(self)
        if loading:
            raise _Killed

    _, items = sample_dataset()
    press = FakeTradePress(items[:3]).start()
    try:
        config = parse_config(
            '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
            'allow_private_hosts = ["127.0.0.1"]\n',
            origin="test",
        )
        monkeypatch.setattr(batch.Ingestor, "flush", flush_then_die)
        with pytest.raises(_Killed):
            fetch_urls([press.article_url(items[0])], tmp_path / "iot.duckdb", config)
    finally:
        press.stop()
    loaded = rows(tmp_path / "iot.duckdb", "SELECT url FROM responses")
    assert loaded, "the page's batch committed before the death"
    recorded = rows(tmp_path / "iot.duckdb", "SELECT DISTINCT url FROM fetches")
    assert set(loaded) <= set(recorded), "every committed response has its fetch attempt recorded"
