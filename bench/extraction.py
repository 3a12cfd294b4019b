"""Article extraction: iot-ingest against trafilatura on the article-extraction-benchmark pages,
quality and speed in one run, on one core.

    .venv/bin/python bench/extraction.py [--repeat 3]

Data: ../shared/reference/article-extraction-benchmark/ (181 real news pages and their hand-made
article bodies), read in place, never copied into the repository.

Quality is the benchmark's own metric (its README): word tokens (`\\w+`), overlapping 4-token
shingles counted as multisets; per page tp, fp, fn normalised by their sum; precision is the mean
of tp/(tp+fp) over pages, recall the mean of tp/(tp+fn), a page with no predicted and no true
shingles scoring 1 in both; F1 is the harmonic mean of the two means. Where only one side is
empty a ratio is 0/0 for one of the two means: like the benchmark's `evaluate.py` that page is
left out of that mean (it still scores 0 in the other).

Speed: CPU time of the extraction calls alone (the pages are read and decompressed beforehand),
best of `--repeat` passes, the process pinned to one core. Ours is `extract_article(url, bytes)`
(decoding included); trafilatura's is `trafilatura.extract(html, include_comments=False)` on the
decoded text, as the benchmark's `extractors/run_trafilatura.py` calls it. Then the command line
as a user runs it: `iot-ingest extract` over the 181 `.html.gz` files in one process (start-up,
reading, relevance and facts included), its CPU time (and wall time) against trafilatura's CPU time
over the same pages: CPU time, because the machine's cores are shared and wall time counts others' work.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "reference" / "article-extraction-benchmark"
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Counts:
    """One page's shingle matches, normalised by their sum (every page weighs the same)."""

    tp: float
    fp: float
    fn: float


@dataclass(frozen=True)
class Scores:
    f1: float
    precision: float
    recall: float


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    # Fewer than n tokens make one short shingle; no tokens make none.
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def match(true: str, predicted: str) -> Counts:
    expected, found = shingles(true), shingles(predicted)
    tp = sum((expected & found).values())
    fp = sum((found - expected).values())
    fn = sum((expected - found).values())
    total = tp + fp + fn
    return Counts(tp / total, fp / total, fn / total) if total else Counts(0.0, 0.0, 0.0)


def scores(pages: list[Counts]) -> Scores:
    precisions: list[float] = []
    recalls: list[float] = []
    for page in pages:
        if page.tp == page.fp == page.fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if page.tp + page.fp > 0:
            precisions.append(page.tp / (page.tp + page.fp))
        if page.tp + page.fn > 0:
            recalls.append(page.tp / (page.tp + page.fn))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(f1, precision, recall)


def timed(extract: Callable[[str], str], ids: list[str], repeat: int) -> tuple[dict[str, str], float]:
    """Each page's text and the best pass's CPU seconds."""
    best = float("inf")
    texts: dict[str, str] = {}
    for _ in range(repeat):
        started = time.process_time()
        texts = {page_id: extract(page_id) for page_id in ids}
        best = min(best, time.process_time() - started)
    return texts, best


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per extractor (best counts)")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line timing")
    args = parser.parse_args()
    truth_file = DATA / "ground-truth.json"
    if not truth_file.is_file():
        print(f"benchmark data not found: {DATA.resolve()} (expected ground-truth.json and html/)", file=sys.stderr)
        return 2

    import trafilatura

    from iot_ingest.extract import extract_article
    from iot_ingest.extract_files import extract_files

    truth: dict[str, dict[str, str]] = json.loads(truth_file.read_text("utf-8"))
    ids = sorted(truth)
    files = [DATA / "html" / f"{page_id}.html.gz" for page_id in ids]
    raw = {page_id: gzip.decompress(path.read_bytes()) for page_id, path in zip(ids, files, strict=True)}
    html = {page_id: body.decode("utf-8") for page_id, body in raw.items()}
    print(f"{len(ids)} pages, {sum(map(len, raw.values())) / len(raw) / 1024:.0f} KiB on average; {pin_to_one_core()}")

    def ours(page_id: str) -> str:
        url = truth[page_id]["url"]
        return extract_article(url, raw[page_id], "text/html; charset=utf-8").body_text

    def theirs(page_id: str) -> str:
        return trafilatura.extract(html[page_id], include_comments=False) or ""

    results: dict[str, float] = {}
    for name, extract in (("iot-ingest", ours), (f"trafilatura {trafilatura.__version__}", theirs)):
        texts, seconds = timed(extract, ids, args.repeat)
        quality = scores([match(truth[i]["articleBody"], texts[i]) for i in ids])
        results[name] = seconds
        print(
            f"  {name:18s} F1 {quality.f1:.4f}  precision {quality.precision:.4f}  recall {quality.recall:.4f}"
            f"  {len(ids) / seconds:6.1f} pages/s ({seconds:.2f} s CPU)"
        )
    ours_s, theirs_s = results["iot-ingest"], results[f"trafilatura {trafilatura.__version__}"]
    print(f"  speed: iot-ingest {theirs_s / ours_s:.2f}x trafilatura's pages/s (goal: >= 1x)")
    if args.no_cli:
        return 0

    started, cpu = time.perf_counter(), time.process_time()
    extract_files(files, url=None, out=io.StringIO())
    in_process, in_process_cpu = time.perf_counter() - started, time.process_time() - cpu
    cli = ROOT / ".venv" / "bin" / "iot-ingest"
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([str(cli), "extract", *map(str, files)], check=True, stdout=subprocess.DEVNULL)
    as_user = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    as_user_cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    print(
        f"  extract_files() in-process, relevance and facts included: {in_process_cpu:.2f} s CPU"
        f" ({in_process:.2f} s wall) = {in_process_cpu / theirs_s:.2f}x trafilatura's CPU"
    )
    print(
        f"  `iot-ingest extract` over the {len(files)} files (one process, start-up included):"
        f" {as_user_cpu:.2f} s CPU ({as_user:.2f} s wall) = {as_user_cpu / theirs_s:.2f}x trafilatura's"
        f" {theirs_s:.2f} s CPU (goal: <= 1.25x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
