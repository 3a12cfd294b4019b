"""The long crash sweep: SIGKILL `import-warc` and `run` at many points, re-run, compare, count.

    PYTHONPATH=. .venv/bin/python tests/reliability/crash_sweep.py --count 40

Kill points cycle through: a timer at a spread of delays, the raw archive passing a spread of sizes
(inside a batch's archive writes), and the WAL growing after a spread of sizes (inside a commit).
Every third kill also tears the archive's tail (half a gzip member appended), as
a power cut would. Prints one line per kill and the totals that RELIABILITY.md quotes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.conftest import write_warc
from tests.support.crash import (
    IMPORT_EXCLUDED,
    IMPORT_WHERE,
    RUN_DISTINCT,
    RUN_EXCLUDED,
    RUN_WHERE,
    Trigger,
    after,
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

COPIES = 40  # 640 records: three load batches
RECORD_BYTES = 3_900


def _rows(digest: str) -> int:
    return int(digest.split(" ", 1)[0])


def _lost(reference: dict[str, str], got: dict[str, str]) -> int:
    return sum(max(0, _rows(v) - _rows(got.get(k, "0 rows"))) for k, v in reference.items())


def _import_triggers(count: int, total: int) -> list[tuple[str, Callable[[Path, Path], Trigger]]]:
    points = []
    for i in range(count):
        share = (i // 3 + 0.5) / max(1, (count + 2) // 3)
        size = int(total * share)
        kind = i % 3
        if kind == 0:
            points.append((f"archive>{size}B", lambda raw, db, s=size: archive_past(raw, s)))
        elif kind == 1:
            points.append((f"commit after {size}B", lambda raw, db, s=size: commit_after(raw, db, s)))
        else:
            delay = 0.3 + 6.0 * share
            points.append((f"timer {delay:.2f}s", lambda raw, db, d=delay: after(d)))
    return points


def sweep_import(count: int, work: Path, totals: Counter[str]) -> None:
    warc = write_warc(work / "input.warc.gz", many_captures(COPIES))
    ref_dir = work / "import-ref"
    ref_dir.mkdir()
    completed(import_argv(ref_dir / "iot.duckdb", warc), cwd=ref_dir)
    reference = table_digests(ref_dir / "iot.duckdb", IMPORT_EXCLUDED, where=IMPORT_WHERE)
    member = first_member(warc)
    for i, (label, trigger) in enumerate(_import_triggers(count, COPIES * 16 * RECORD_BYTES)):
        where = work / f"import-{i}"
        where.mkdir()
        db = where / "iot.duckdb"
        outcome = run_and_kill(import_argv(db, warc), trigger(where / "raw", db), db=db, cwd=where)
        torn = False
        if outcome.killed and i % 3 == 0 and list((where / "raw").glob("*.warc.gz")):
            tear_tail(where / "raw", member, len(member) // 2)
            torn = True
        completed(import_argv(db, warc), cwd=where)
        _judge("import-warc", label, outcome.killed, outcome.wal_left, torn, reference, db, where, totals)
        shutil.rmtree(where)


def sweep_run(count: int, work: Path, totals: Counter[str]) -> None:
    with loopback_sites() as text:
        config = work / "iot-ingest.toml"
        config.write_text(text, "utf-8")
        ref_dir = work / "run-ref"
        ref_dir.mkdir()
        for _ in range(2):
            completed(run_argv(ref_dir / "iot.duckdb", config), cwd=ref_dir)
        reference = table_digests(ref_dir / "iot.duckdb", RUN_EXCLUDED, distinct=RUN_DISTINCT, where=RUN_WHERE)
        member = first_member(next((ref_dir / "raw").glob("*.warc.gz")))
        for i in range(count):
            share = (i // 2 + 0.5) / max(1, (count + 1) // 2)
            trigger: Callable[[Path, Path], Trigger]
            if i % 2 == 0:
                label, delay = f"timer {0.5 + 3.0 * share:.2f}s", 0.5 + 3.0 * share
                trigger = lambda raw, db, d=delay: after(d)  # noqa: E731
            else:
                label, size = f"archive>{int(130_000 * share)}B", int(130_000 * share)
                trigger = lambda raw, db, s=size: archive_past(raw, s)  # noqa: E731
            where = work / f"run-{i}"
            where.mkdir()
            db = where / "iot.duckdb"
            outcome = run_and_kill(run_argv(db, config), trigger(where / "raw", db), db=db, cwd=where)
            torn = False
            if outcome.killed and i % 3 == 0 and list((where / "raw").glob("*.warc.gz")):
                tear_tail(where / "raw", member, len(member) // 2)
                torn = True
            completed(run_argv(db, config), cwd=where)
            _judge("run", label, outcome.killed, outcome.wal_left, torn, reference, db, where, totals)
            shutil.rmtree(where)


def _judge(
    command: str,
    label: str,
    killed: bool,
    wal_left: bool,
    torn: bool,
    reference: dict[str, str],
    db: Path,
    where: Path,
    totals: Counter[str],
) -> None:
    excluded, distinct, filters = (
        (IMPORT_EXCLUDED, frozenset[str](), IMPORT_WHERE)
        if command == "import-warc"
        else (RUN_EXCLUDED, RUN_DISTINCT, RUN_WHERE)
    )
    got = table_digests(db, excluded, distinct=distinct, where=filters)
    census = archive_census(db, where / "raw")
    reasons = set_aside_reasons(db)
    orphans = sum(int(m) for r in reasons for m in re.findall(r"(\d+) record\(s\)", r))
    repaired_torn = sum("torn tail" in r for r in reasons)
    same = got == reference
    key = command
    totals[f"{key} kills"] += killed
    totals[f"{key} finished before the kill"] += not killed
    totals[f"{key} WAL left at kill"] += wal_left
    totals[f"{key} orphan records set aside"] += orphans
    totals[f"{key} kills that left orphans"] += orphans > 0
    totals[f"{key} torn tails injected"] += torn
    totals[f"{key} torn tails repaired"] += repaired_torn
    totals[f"{key} warehouse equal"] += same
    totals[f"{key} archive exact"] += census.exact
    totals[f"{key} rows lost"] += _lost(reference, got)
    totals[f"{key} archive duplicates"] += len(census.duplicated) + len(census.unindexed)
    diff = {k: (v, got.get(k)) for k, v in reference.items() if got.get(k) != v}
    print(
        f"{command:11} {label:24} killed={killed!s:5} wal={wal_left!s:5} orphans={orphans:3} "
        f"torn={repaired_torn} equal={same} archive_exact={census.exact}" + (f" DIFF {diff}" if diff else ""),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30, help="kills per command (default 30)")
    parser.add_argument("--only", choices=["import-warc", "run"], help="sweep one command")
    args = parser.parse_args()
    totals: Counter[str] = Counter()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="iot-crash-sweep-") as tmp:
        if args.only in (None, "import-warc"):
            sweep_import(args.count, Path(tmp), totals)
        if args.only in (None, "run"):
            sweep_run(args.count, Path(tmp), totals)
    print(f"\n{args.count} kill points per command, {time.monotonic() - started:.0f}s")
    for key, value in sorted(totals.items()):
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
