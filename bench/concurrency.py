"""Scheduled runs, backfills and analysts at the same time: latencies and the overlap ratio.

Each writer alone first (with readers polling, as an analyst would be anyway), then all three at
once: a politely paced feed `run` (2 requests/s), a sitemap `backfill` over the first half of 2019 on a second site,
a CC-NEWS window. Readers poll every 0.5 s through `iot-ingest query`'s code and through a plain
`duckdb.connect(path, read_only=True)`. Prints read latencies (p50, p99, max), reader failures, the
counts readers saw while the run went on, and the writers' time together over the slower alone.

    .venv/bin/python bench/concurrency.py [--feed-rate 2] [--sitemap-rate 4]

Goals (issue "Scheduled runs, backfills and analysts' SQL at the same time"): query p99 <= 2 s,
max <= 5 s, 0 failures, plain connects never fail, together <= 1.3x the slower alone, at least
three increasing counts seen while the run goes on.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.concurrency import WRITERS, Outcome, Sample, run_writers, sites, write_config


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _latency(samples: list[Sample]) -> str:
    seconds = [s.seconds for s in samples if s.error is None]
    return (
        f"n={len(samples):4d}  p50 {_percentile(seconds, 0.5):.3f} s  p99 {_percentile(seconds, 0.99):.3f} s  "
        f"max {max(seconds, default=float('nan')):.3f} s  failures {sum(1 for s in samples if s.error)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feed-rate", type=float, default=2.0, help="requests/s to the feed site")
    parser.add_argument("--sitemap-rate", type=float, default=4.0, help="requests/s to the sitemap site")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="iot-concurrency-"))
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {platform.python_version()}")
    try:
        with sites(feed_rate=args.feed_rate, sitemap_rate=args.sitemap_rate) as served:
            alone: dict[str, float] = {}
            for name in WRITERS:
                where = root / f"alone-{name}"
                where.mkdir()
                outcome = run_writers(where / "iot.duckdb", write_config(where, served.config_text), [name])
                _check(outcome)
                alone[name] = outcome.writers[name].seconds
                print(f"{name:9s} alone    {alone[name]:6.1f} s   query {_latency(outcome.query)}")
            where = root / "together"
            where.mkdir()
            outcome = run_writers(where / "iot.duckdb", write_config(where, served.config_text), list(WRITERS))
            _check(outcome)
            together = max(w.finished or 0.0 for w in outcome.writers.values()) - min(
                w.started for w in outcome.writers.values()
            )
            for name, writer in outcome.writers.items():
                print(f"{name:9s} together {writer.seconds:6.1f} s")
            print(f"query (iot-ingest query's code)   {_latency(outcome.query)}")
            print(f"plain duckdb.connect(read_only)   {_latency(outcome.plain)}")
            print(f"counts seen while the run went on: {outcome.seen_while('run')}")
            slower = max(alone.values())
            print(f"writers together {together:.1f} s, the slower alone {slower:.1f} s: {together / slower:.2f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _check(outcome: Outcome) -> None:
    for writer in outcome.writers.values():
        if writer.returncode != 0:
            raise SystemExit(f"{writer.name} exited {writer.returncode}: {writer.stderr[-2000:]}")


if __name__ == "__main__":
    main()
