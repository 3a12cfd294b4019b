"""Run every atheris harness for a fixed time, then the named hostile cases at full size.

    .venv/bin/python fuzz/run.py --seconds 120 [--big-mb 10]

For each harness: inputs tried, crashes (each saved input's first line of error), and wall time;
the seeds are the well-formed samples and the small named cases of tests/support/hostile.py. A
harness that crashes is restarted on its grown corpus until its time is used. Then each named case
(10 MB pages, gzip bombs, ...) runs once in a fresh process: seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.hostile import SEEDS, hostile_cases  # noqa: E402

HARNESSES = {"extract": ["extract"], "sources": ["feed", "sitemap", "listing"], "warc": ["warc"]}
_DONE = re.compile(r"Done (\d+) runs in")
_STATS = re.compile(r"^#(\d+)\s", re.MULTILINE)


def _seed(corpus: Path, harness: str, targets: list[str]) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    multi = len(targets) > 1
    for index, target in enumerate(targets):
        prefix = bytes([index]) if multi else b""
        (corpus / f"seed-{target}").write_bytes(prefix + SEEDS[target]())
        for number, (case_target, _, data) in enumerate(hostile_cases(16 * 1024)):
            if case_target == target and len(data) <= 64 * 1024:
                (corpus / f"case-{target}-{number}").write_bytes(prefix + data)


def fuzz(harness: str, seconds: int, work: Path) -> tuple[int, list[str]]:
    corpus = work / f"corpus-{harness}"
    _seed(corpus, harness, HARNESSES[harness])
    runs, crashes = 0, []
    deadline = time.monotonic() + seconds
    while (left := int(deadline - time.monotonic())) >= 2:
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "fuzz" / f"fuzz_{harness}.py"),
                f"-max_total_time={left}",
                "-max_len=65536",
                "-timeout=20",  # seconds for one input: longer is a hang
                "-rss_limit_mb=2048",
                "-print_final_stats=1",
                str(corpus),
            ],
            cwd=work,
            capture_output=True,
            text=True,
        )
        log = done.stdout + done.stderr
        found = _DONE.search(log) or _last_stat(log)
        runs += int(found.group(1)) if found else 0
        if done.returncode == 0:
            break
        error = next((line for line in log.splitlines() if "Error" in line or "ERROR" in line), "unknown error")
        crashes.append(error.strip()[:200])
    return runs, crashes


def _last_stat(log: str) -> re.Match[str] | None:
    matches = list(_STATS.finditer(log))
    return matches[-1] if matches else None


_MEASURE = """
import resource, sys, time
sys.path.insert(0, {root!r})
from tests.support.hostile import TARGETS, hostile_cases
target, name, data = [c for c in hostile_cases({big}) if c[0] == {target!r} and c[1] == {name!r}][0]
started = time.monotonic()
try:
    verdict = TARGETS[target](data)
except Exception as exc:
    verdict = f"CRASH {{type(exc).__name__}}: {{exc}}"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{{time.monotonic() - started:.2f}}\\t{{peak}}\\t{{verdict[:90]}}")
"""


def named(big: int) -> None:
    print(f"\nnamed hostile cases (big = {big // 2**20} MB), one fresh process each: seconds, peak RSS MB, verdict")
    for target, name, data in hostile_cases(big):
        code = _MEASURE.format(root=str(ROOT), big=big, target=target, name=name)
        done = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True)
        line = done.stdout.strip() or f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}"
        print(f"  {target:8} {name:24} {len(data):>10} B  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per harness (default 60)")
    parser.add_argument("--big-mb", type=int, default=10, help="size of the big named cases (default 10)")
    parser.add_argument("--only", choices=sorted(HARNESSES), help="one harness")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="iot-fuzz-") as tmp:
        for harness in [args.only] if args.only else list(HARNESSES):
            started = time.monotonic()
            runs, crashes = fuzz(harness, args.seconds, Path(tmp))
            print(
                f"{harness:8} {runs:>9} inputs in {time.monotonic() - started:4.0f}s, {len(crashes)} crash(es)"
                + "".join(f"\n    {c}" for c in crashes),
                flush=True,
            )
    if args.big_mb:
        named(args.big_mb * 2**20)


if __name__ == "__main__":
    main()
