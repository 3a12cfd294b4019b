"""Crash-consistency tooling: kill a CLI subprocess at a chosen moment, then compare what is left.

Kill points are chosen from outside the process, with no fault hook in the product, by what the
process is writing: when the raw archive has grown past a size (the writer is appending a batch), or
when DuckDB's write-ahead log grows after that (that batch's commit is being written). A timer would
not know whether anything was being written at all. What a kill actually hit is read afterwards
from the evidence: the recovery's record of torn or orphan bytes and a WAL left behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import duckdb

from iot_ingest.archive import Capture, WarcResponse, iter_warc
from iot_ingest.demo import sample_captures
from iot_ingest.warehouse.publish import live_path
from tests.support.fakes import FakeGovUk, FakeTradePress, sample_dataset

# Columns that differ between two correct loads of the same input, left out deliberately:
# which run wrote a row and when, and where in the raw archive a record landed (file names carry
# the writer's time and pid, so offsets differ after a crash moved bytes aside).
IMPORT_EXCLUDED: dict[str, frozenset[str]] = {
    "*": frozenset({"run_id", "recorded_at", "skipped_at", "aliased_at", "updated_at_db"}),
    "responses": frozenset({"warc_file", "warc_offset", "warc_length"}),
    # When a run's notification pass saw something, not what it saw.
    "notified_announcements": frozenset({"first_recorded_at"}),
    "failing_sources": frozenset({"since"}),
    "notifications": frozenset({"created_at", "attempted_at"}),
}
# A crawl also differs by when each page was fetched: the fetch time, and the ids derived from it.
RUN_EXCLUDED: dict[str, frozenset[str]] = {
    **IMPORT_EXCLUDED,
    "responses": frozenset({"warc_file", "warc_offset", "warc_length", "response_id", "fetched_at"}),
    "sightings": frozenset({"response_id", "fetched_at"}),
    "articles": frozenset({"first_seen_at", "last_seen_at", "content_response_id"}),
    "article_topics": frozenset({"content_response_id"}),
    "fetches": frozenset({"fetch_id", "requested_at", "elapsed_ms"}),
    "http_validators": frozenset({"fetched_at", "checked_at"}),
    "source_state": frozenset({"updated_at"}),
    "source_schedules": frozenset({"recorded_at"}),
}
# Bookkeeping of invocations, not data: a crashed run leaves its own row by design.
SKIPPED_TABLES = frozenset({"runs", "schema_migrations"})


def many_captures(copies: int) -> list[Capture]:
    """The bundled sample captures, `copies` times over a day apart: many records, real pages."""
    base = sample_captures()
    return [
        dataclasses.replace(c, fetched_at=c.fetched_at + timedelta(days=k), digest="")
        for k in range(copies)
        for c in base
    ]


def table_digests(
    db: Path,
    excluded: dict[str, frozenset[str]],
    *,
    distinct: frozenset[str] = frozenset(),
    where: dict[str, str] | None = None,
) -> dict[str, str]:
    """A digest of every table but `SKIPPED_TABLES`, without the excluded columns.

    Tables in `distinct` are compared as sets of rows (a crawl that was interrupted fetches some
    discovery pages again, legitimately); `where` filters a table's rows.
    """
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        digests = {}
        for table in tables:
            if table in SKIPPED_TABLES:
                continue
            drop = excluded.get("*", frozenset()) | excluded.get(table, frozenset())
            columns = [c for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE {table})").fetchall()]
            keep = ", ".join(f'"{c}"' for c in columns if c not in drop)
            clause = f" WHERE {where[table]}" if where and table in where else ""
            select = "SELECT DISTINCT" if table in distinct else "SELECT"
            found = con.execute(f"{select} {keep} FROM {table}{clause} ORDER BY ALL").fetchall()
            digests[table] = f"{len(found)} rows " + hashlib.sha256(repr(found).encode()).hexdigest()[:16]
        return digests
    finally:
        con.close()


@dataclass(frozen=True)
class ArchiveCensus:
    indexed: int  # rows in `responses`
    records: int  # response records in the raw archive files
    duplicated: list[str]  # response ids stored more than once
    unindexed: list[str]  # response records no row points at
    misplaced: list[str]  # rows whose (file, offset) holds no such record

    @property
    def exact(self) -> bool:
        return not (self.duplicated or self.unindexed or self.misplaced) and self.indexed == self.records


def archive_census(db: Path, raw_dir: Path) -> ArchiveCensus:
    """Every response in the warehouse is in the archive exactly once, where its row says."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        index = {
            rid: (file, offset)
            for rid, file, offset in con.execute("SELECT response_id, warc_file, warc_offset FROM responses").fetchall()
        }
    finally:
        con.close()
    stored: Counter[str] = Counter()
    where: dict[str, set[tuple[str, int]]] = {}
    for path in sorted(raw_dir.glob("*.warc.gz")):
        for item in iter_warc(path):
            if isinstance(item, WarcResponse):
                rid = item.capture.response_id
                stored[rid] += 1
                where.setdefault(rid, set()).add((path.name, item.offset))
    return ArchiveCensus(
        indexed=len(index),
        records=sum(stored.values()),
        duplicated=sorted(r for r, n in stored.items() if n > 1),
        unindexed=sorted(r for r in stored if r not in index),
        misplaced=sorted(r for r, at in index.items() if at not in where.get(r, set())),
    )


# ---- killing ------------------------------------------------------------------------------------

Trigger = Callable[[], bool]


def after(seconds: float) -> Trigger:
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline


def archive_past(raw_dir: Path, size: int) -> Trigger:
    """True once the raw archive files together exceed `size` bytes: a batch is being appended."""

    def check() -> bool:
        return sum(_size(p) for p in raw_dir.glob("*.warc.gz")) > size

    return check


def wal_appears(db: Path) -> Trigger:
    """True once DuckDB's write-ahead log holds something: a commit is being written."""
    wal = _live_wal(db)
    return lambda: _size(wal) > 0


def commit_after(raw_dir: Path, db: Path, size: int) -> Trigger:
    """True once the WAL grows after the archive passed `size`: that batch's commit is being written."""
    past = archive_past(raw_dir, size)
    wal = _live_wal(db)
    baseline: list[int] = []

    def check() -> bool:
        if not baseline:
            if past():
                baseline.append(_size(wal))
            return False
        return _size(wal) != baseline[0]

    return check


def _live_wal(db: Path) -> Path:
    """DuckDB's log of the writers' working file (the published copy never has one)."""
    live = live_path(db)
    return live.with_name(live.name + ".wal")


def tear_tail(raw_dir: Path, member: bytes, keep: int) -> Path:
    """Append the first `keep` bytes of a gzip member to the newest archive file: a write cut short
    (what a power cut or a full disk leaves; SIGKILL never splits a write)."""
    newest = max(raw_dir.glob("*.warc.gz"), key=lambda p: p.stat().st_mtime_ns)
    with newest.open("ab") as handle:
        handle.write(member[:keep])
    return newest


def first_member(path: Path) -> bytes:
    """The bytes of the first gzip member of `path`."""
    import zlib

    data = path.read_bytes()
    decomp = zlib.decompressobj(wbits=31)
    decomp.decompress(data)
    return data[: len(data) - len(decomp.unused_data)]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass(frozen=True)
class Outcome:
    killed: bool  # False if the command finished before the trigger fired
    code: int | None
    seconds: float
    wal_left: bool  # a write-ahead log was on disk after the kill
    stderr: str


def run_and_kill(
    argv: Sequence[str | Path],
    trigger: Trigger,
    *,
    db: Path,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> Outcome:
    """Start `argv`, SIGKILL it the moment `trigger()` is true (polled every millisecond)."""
    started = time.monotonic()
    with subprocess.Popen(
        [str(a) for a in argv],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Its own process group, killed whole: a command that runs through an orchestrator may have
        # children (workers, an API server) that would otherwise outlive it and hold the database.
        start_new_session=True,
    ) as proc:
        killed = False
        while proc.poll() is None:
            if trigger():
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
                break
            if time.monotonic() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                raise TimeoutError(f"{argv} ran past {timeout}s")
            time.sleep(0.001)
        _, err = proc.communicate()
    wal = db.with_name(db.name + ".wal")
    return Outcome(killed, proc.returncode, time.monotonic() - started, _size(wal) > 0, err.decode(errors="replace"))


def completed(argv: Sequence[str | Path], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run `argv` to completion; its stderr. Fails loudly if it does not exit 0."""
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise AssertionError(f"{argv} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stderr


def set_aside_reasons(db: Path) -> list[str]:
    """What the archive recovery moved aside, as recorded in `ingest_errors`."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r for (r,) in con.execute("SELECT reason FROM ingest_errors WHERE stage = 'archive'").fetchall()]
    finally:
        con.close()


# ---- the two commands under test ----------------------------------------------------------------

CLI = Path(sys.executable).parent / "iot-ingest"
# A crawl's discovery pages (feeds, search pages) may be fetched again after a crash, and every
# run logs its own skips: those tables compare as sets of rows. Which items a run skipped as
# "fetched before" depends on what the runs before it got to, so only off-topic skips compare.
RUN_DISTINCT = frozenset({"responses", "fetches", "skipped_items"})
RUN_WHERE = {
    "ingest_errors": "stage <> 'archive'",
    "skipped_items": "reason LIKE 'off-topic%'",
    "responses": "role = 'page'",
    "fetches": "url IN (SELECT url FROM responses WHERE role = 'page')",
}
IMPORT_WHERE = {"ingest_errors": "stage <> 'archive'"}


@contextlib.contextmanager
def loopback_sites() -> Iterator[str]:
    """GOV.UK and a trade-press site on 127.0.0.1; yields the text of a config that crawls both."""
    gov, press_items = sample_dataset()
    govuk = FakeGovUk(gov, public_base=None).start()
    press = FakeTradePress(press_items, sitemap_chunk=15, gzip_sitemaps=True).start()
    try:
        yield (
            '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
            'allow_private_hosts = ["127.0.0.1"]\nmax_attempts = 2\n'
            f'[[sources]]\nname = "govuk"\nkind = "govuk_search"\nbase_url = "{govuk.base}"\nquery = ""\n'
            'filter_organisations = ["department-for-education"]\nrate_limit = 50.0\nmax_concurrency = 4\n'
            "lookback_days = 3660\n"
            f'[[sources]]\nname = "press"\nkind = "sitemap"\nurl = "{press.url("/sitemap_index.xml")}"\n'
            "rate_limit = 50.0\nmax_concurrency = 4\nlookback_days = 3660\n"
        )
    finally:
        press.stop()
        govuk.stop()


def import_argv(db: Path, warc: Path) -> list[str | Path]:
    return [CLI, "import-warc", "--db", db, warc]


def run_argv(db: Path, config: Path) -> list[str | Path]:
    return [CLI, "run", "--db", db, "--config", config]


# `run` crashes are the run loop's, tested without Prefect: with it, the process starts a temporary
# server first (seconds of no writes) whose own children a kill would orphan.
RUN_ENV = {"IOT_INGEST_NO_PREFECT": "1"}
