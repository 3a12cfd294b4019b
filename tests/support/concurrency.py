"""Three writers and two kinds of reader on one warehouse at once, as production has them.

The sites: a politely paced trade-press feed (an incremental `run`), a second site's sitemaps over
the first half of 2019 (a `backfill`), and a month of CC-NEWS (a crawl window). The readers:
`iot-ingest query`'s own code path every half second, and a plain `duckdb.connect(path,
read_only=True)` (what the DuckDB CLI, a notebook or a BI tool does) every half second. Used by
`tests/reliability/test_concurrency.py` (properties) and `bench/concurrency.py` (latencies and
the overlap ratio).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from iot_ingest.config import parse_config
from iot_ingest.warehouse import open_writer
from tests.support.ccnews_fake import CCNewsHost, build_month
from tests.support.fakes import FakeTradePress, sample_dataset

CLI = Path(os.environ.get("IOT_INGEST_CLI", Path(__file__).resolve().parents[2] / ".venv/bin/iot-ingest"))

FEED_SOURCE = "slowfeed"
SITEMAP_SOURCE = "archive"
CCNEWS_SOURCE = "ccnews"

# Each writer as an operator starts it. The run and the backfill fetch from different hosts.
WRITERS: dict[str, list[str]] = {
    "run": ["run", "--source", FEED_SOURCE],
    "backfill": ["backfill", "--since", "2019-01-01", "--until", "2019-06-30", "--source", SITEMAP_SOURCE],
    "ccnews": ["backfill", "--since", "2019-04-01", "--until", "2019-04-30", "--source", CCNEWS_SOURCE],
}
# The loop runs without Prefect here: a flow would start a temporary server per process first.
WRITER_ENV = {"IOT_INGEST_NO_PREFECT": "1"}


@dataclass
class Sites:
    config_text: str


@contextlib.contextmanager
def sites(
    *,
    feed_rate: float = 4.0,
    sitemap_rate: float = 4.0,
    commit_every_s: float = 2.0,
    ccnews_files: int = 3,
    ccnews_records: int = 300,
) -> Iterator[Sites]:
    """The three loopback sites and a configuration that crawls them."""
    _, press = sample_dataset()
    feed = FakeTradePress(press, feed_size=len(press), site_name="FE Daily Wire").start()
    # The second site republishes the same stories a day later, as trade sites copy one another: which
    # is the original then follows from the dates, not from which writer happened to load it first.
    archive_items = [
        dataclasses.replace(item, published_at=item.published_at + timedelta(days=1), modified_at=None)
        for item in sample_dataset()[1]
    ]
    archive = FakeTradePress(archive_items, sitemap_chunk=15, site_name="Skills Archive").start()
    month = build_month(2019, 4, files=ccnews_files, records_per_file=ccnews_records)
    with CCNewsHost(month) as crawl:
        try:
            yield Sites(
                '[http]\nuser_agent = "iot-ingest-tests/0.1 (+mailto:tests@example.org)"\n'
                'allow_private_hosts = ["127.0.0.1"]\nmax_attempts = 2\n'
                f"[warehouse]\nlock_timeout_s = 60\ncommit_every_s = {commit_every_s}\n"
                f'[[sources]]\nname = "{FEED_SOURCE}"\nkind = "feed"\nurl = "{feed.url("/feed/")}"\n'
                f"rate_limit = {feed_rate}\nmax_concurrency = 2\nlookback_days = 3660\n"
                f'[[sources]]\nname = "{SITEMAP_SOURCE}"\nkind = "sitemap"\n'
                f'url = "{archive.url("/sitemap_index.xml")}"\n'
                f"rate_limit = {sitemap_rate}\nmax_concurrency = 2\nlookback_days = 3660\n"
                f'[[sources]]\nname = "{CCNEWS_SOURCE}"\nkind = "ccnews"\nbase_url = "{crawl.base}"\n'
                'host_suffixes = [".uk"]\nrate_limit = 50.0\n'
            )
        finally:
            archive.stop()
            feed.stop()


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the writers started
    seconds: float  # how long the read took, connecting included
    error: str | None
    value: int | None  # what it read: rows of the run's source in `fetches`


@dataclass
class Writer:
    name: str
    started: float
    finished: float | None = None
    returncode: int | None = None
    stderr: str = ""

    @property
    def seconds(self) -> float:
        assert self.finished is not None
        return self.finished - self.started


@dataclass
class Outcome:
    writers: dict[str, Writer]
    query: list[Sample] = field(default_factory=list)  # through `iot-ingest query`'s code
    plain: list[Sample] = field(default_factory=list)  # a plain read-only DuckDB client

    def failures(self) -> list[Sample]:
        return [s for s in (*self.query, *self.plain) if s.error]

    def seen_while(self, writer: str) -> list[int]:
        """Distinct values the readers saw while `writer` ran, in order."""
        w = self.writers[writer]
        start, end = 0.0, (w.finished or 0.0)
        values = [s.value for s in sorted(self.plain + self.query, key=lambda s: s.at) if start <= s.at < end]
        return list(dict.fromkeys(v for v in values if v is not None))


COUNT_SQL = f"SELECT count(*) FROM fetches WHERE source = '{FEED_SOURCE}'"

# Each kind of reader polls from a process of its own, as analysts' clients do (and one process
# may not hold two DuckDB connections to one file with different settings).
POLLER = textwrap.dedent(
    """
    import io, json, sys, time
    from pathlib import Path
    db, every, kind, sql = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
    if kind == "query":
        from iot_ingest.config import parse_config
        from iot_ingest.query import run_query
        config = parse_config("", origin="readers")
        def read():
            out = io.StringIO()
            run_query(db, config, sql, output_format="csv", out=out)
            return int(out.getvalue().splitlines()[-1])
    else:
        import duckdb
        def read():
            con = duckdb.connect(str(db), read_only=True)
            try:
                return int(con.execute(sql).fetchone()[0])
            finally:
                con.close()
    print("ready", flush=True)
    while True:
        began = time.time()
        value = error = None
        try:
            value = read()
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        print(json.dumps([began, time.time() - began, error, value]), flush=True)
        time.sleep(max(0.0, every - (time.time() - began)))
    """
)


class _Poller:
    def __init__(self, db: Path, kind: str, every_s: float, samples: list[Sample], t0: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", POLLER, str(db), str(every_s), kind, COUNT_SQL],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "ready"
        self.thread = threading.Thread(target=self._read, args=(samples, t0), daemon=True)
        self.thread.start()

    def _read(self, samples: list[Sample], t0: float) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            began, seconds, error, value = json.loads(line)
            samples.append(Sample(began - t0, seconds, error, value))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self.thread.join(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def start_writer(name: str, db: Path, config: Path, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, **WRITER_ENV}
    return subprocess.Popen(
        [str(CLI), *WRITERS[name], "--db", str(db), "--config", str(config)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_writers(
    db: Path,
    config: Path,
    names: Sequence[str],
    *,
    together: bool = True,
    readers: bool = True,
    poll_every_s: float = 0.5,
    kill: tuple[str, float] | None = None,
) -> Outcome:
    """Run the named writers at once (or one after another), with readers polling throughout.

    `kill=(name, after_s)` SIGKILLs that writer once it has run that long (it is not restarted)."""
    outcome = Outcome({})
    if not db.exists():
        # Analysts query a warehouse that exists; a new one is published by its first writer session.
        with open_writer(db, parse_config(config.read_text("utf-8"), origin=str(config))):
            pass
    t0 = time.time()
    polls = (
        [_Poller(db, "query", poll_every_s, outcome.query, t0), _Poller(db, "plain", poll_every_s, outcome.plain, t0)]
        if readers
        else []
    )
    try:
        batches = [list(names)] if together else [[name] for name in names]
        for batch in batches:
            running = {}
            for name in batch:
                outcome.writers[name] = Writer(name, time.time() - t0)
                running[name] = start_writer(name, db, config, db.parent)
            _wait_all(running, outcome, t0, kill)
    finally:
        for poller in polls:
            poller.stop()
    return outcome


def _wait_all(
    running: dict[str, subprocess.Popen[str]], outcome: Outcome, t0: float, kill: tuple[str, float] | None
) -> None:
    stderr: dict[str, list[str]] = {name: [] for name in running}
    drains = [
        threading.Thread(target=lambda p=proc, out=stderr[name]: out.append(p.stderr.read() if p.stderr else ""))
        for name, proc in running.items()
    ]
    for thread in drains:
        thread.start()
    pending = dict(running)
    while pending:
        for name, proc in list(pending.items()):
            writer = outcome.writers[name]
            if kill and kill[0] == name and proc.poll() is None and time.time() - t0 - writer.started >= kill[1]:
                proc.kill()
            if proc.poll() is not None:
                writer.finished = time.time() - t0
                writer.returncode = proc.returncode
                del pending[name]
        time.sleep(0.05)
    for thread in drains:
        thread.join(timeout=30)
    for proc in running.values():
        if proc.stderr is not None:
            proc.stderr.close()
    for name, lines in stderr.items():
        outcome.writers[name].stderr = "".join(lines)


def write_config(directory: Path, text: str) -> Path:
    path = directory / "iot-ingest.toml"
    path.write_text(text, "utf-8")
    return path
