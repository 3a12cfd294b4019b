"""Article extraction: iot-ingest against trafilatura and Resiliparse on two sets of real news
pages, quality and speed in one run, on one core, each set on its own and leave-one-set-out.

    .venv/bin/python bench/extraction.py [--repeat 3] [--worst 15] [--set both|benchmark|fundus]
        [--no-loso] [--no-cli] [--no-pathological]

Data, read in place and never copied into the repository:
- the article-extraction benchmark (../shared/reference/article-extraction-benchmark/): 181 news
  pages from 2020 and earlier with hand-made article bodies (no titles or dates labelled);
- fundus-dev (../shared/reference/fundus-dev/): 182 pages from 2023-2026 in 36 countries, labelled
  with title, publishing date and body by per-publisher parsers. A publisher's parser versions pair
  with its pages in order, oldest page with the first version.

Body quality is the benchmark's own metric (its README): word tokens (`\\w+`), overlapping 4-token
shingles counted as multisets; per page tp, fp, fn normalised by their sum; precision is the mean
of tp/(tp+fp) over pages, recall the mean of tp/(tp+fn), a page with no predicted and no true
shingles scoring 1 in both; F1 is the harmonic mean of the two means. Where only one side is
empty a ratio is 0/0 for one of the two means: like the benchmark's `evaluate.py` that page is
left out of that mean (it still scores 0 in the other). Titles match exactly after whitespace and
quote normalisation; dates match by calendar day in the label's own offset. The worst pages by
our per-page F1 are listed with trafilatura's and Resiliparse's F1 and the path our extractor took
(`+wide<n>` where the Resiliparse cross-check widened the body). A collapse is a page where we
score below 0.5 and trafilatura 0.9 or more.

Generalisation (leave-one-set-out): the cross-check's thresholds (`crosscheck.Rules`) are chosen
on one set from a small grid and the F1 they give is reported on the other set, beside the
defaults' figure: rules that only fit the set they were chosen on show it there.

Speed: CPU time of the extraction calls alone (the pages are read and decompressed beforehand),
best of `--repeat` passes, the process pinned to one core. Ours is `extract_article(url, bytes)`
(decoding included); trafilatura's is `trafilatura.extract(html, include_comments=False)` on the
decoded text, as the benchmark's `extractors/run_trafilatura.py` calls it. Then the command line
as a user runs it: `iot-ingest extract` over the benchmark's 181 `.html.gz` files in one process
(start-up, reading, relevance and facts included), its CPU time (and wall time) against
trafilatura's CPU time over the same pages: CPU time, because the machine's cores are shared and
wall time counts others' work. Resiliparse is `extract_plain_text(html, main_content=True)`.
Last, the pathological pages of the property tests (20,000 nested divs, paragraphs, links): the CPU
seconds each takes, the figure the tests once bounded at 2 s and now only check grows linearly.
"""

from __future__ import annotations

import argparse
import contextlib
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
from datetime import datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any

from iot_ingest.ukdates import UK, uk_day
from tests.support.topics import IOT

ROOT = Path(__file__).resolve().parents[1]
BENCHMARK = ROOT / ".." / "shared" / "reference" / "article-extraction-benchmark"
FUNDUS = ROOT / ".." / "shared" / "reference" / "fundus-dev"
_TOKEN = re.compile(r"\w+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'"})


@dataclass(frozen=True)
class Sample:
    """One labelled page: its bytes and what a reader finds in it."""

    page_id: str
    url: str
    raw: bytes
    body: str
    title: str | None = None
    published: str | None = None  # ISO 8601 with the publisher's offset

    @property
    def html(self) -> str:
        return self.raw.decode("utf-8", "replace")


@dataclass(frozen=True)
class Counts:
    """One page's shingle matches, normalised by their sum (every page weighs the same)."""

    tp: float
    fp: float
    fn: float

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0


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


def same_title(true: str | None, found: str | None) -> bool:
    def norm(text: str | None) -> str:
        return " ".join((text or "").translate(_QUOTES).split()).casefold()

    return bool(true) and norm(true) == norm(found)


def same_day(true: str | None, found: datetime | None) -> bool:
    """The labelled calendar day: in the label's offset for a time of day, in UK time (the product's
    reading of a date printed without a time) for a date alone or a label without an offset."""
    if not true or found is None:
        return False
    labelled = datetime.fromisoformat(true)
    date_only = found.astimezone(UK).time() == dt_time(0)
    if labelled.tzinfo is None or date_only:
        return labelled.date() == uk_day(found)
    return labelled.date() == found.astimezone(labelled.tzinfo).date()


def load_benchmark() -> list[Sample]:
    truth: dict[str, dict[str, str]] = json.loads((BENCHMARK / "ground-truth.json").read_text("utf-8"))
    return [
        Sample(
            page_id,
            truth[page_id]["url"],
            gzip.decompress((BENCHMARK / "html" / f"{page_id}.html.gz").read_bytes()),
            truth[page_id]["articleBody"],
        )
        for page_id in sorted(truth)
    ]


def load_fundus() -> list[Sample]:
    samples: list[Sample] = []
    for country in sorted(p for p in FUNDUS.iterdir() if p.is_dir()):
        meta: dict[str, dict[str, str]] = json.loads((country / "meta.info").read_text("utf-8"))
        for labels in sorted(country.glob("*.json")):
            publisher = labels.stem
            pages = sorted(country.glob(f"{publisher}_[0-9]*.html.gz"))
            versions: dict[str, dict[str, Any]] = json.loads(labels.read_text("utf-8"))
            if len(pages) != len(versions):
                continue
            for page, version in zip(pages, (versions[key] for key in sorted(versions)), strict=True):
                samples.append(
                    Sample(
                        f"{country.name}/{page.name.removesuffix('.html.gz')}",
                        meta[page.name]["url"],
                        gzip.decompress(page.read_bytes()),
                        _fundus_body(version.get("body") or {}),
                        version.get("title"),
                        version.get("publishing_date"),
                    )
                )
    return samples


def _fundus_body(body: dict[str, Any]) -> str:
    lines = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        lines += section.get("headline") or []
        lines += section.get("paragraphs") or []
    return "\n".join(lines)


def timed(extract: Callable[[Sample], Any], samples: list[Sample], repeat: int) -> tuple[list[Any], float]:
    """Each page's result and the best pass's CPU seconds."""
    best = float("inf")
    results: list[Any] = []
    for _ in range(repeat):
        started = time.process_time()
        results = [extract(sample) for sample in samples]
        best = min(best, time.process_time() - started)
    return results, best


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


@dataclass(frozen=True)
class SetResult:
    """What one set's run leaves for the summary: trafilatura's CPU seconds and our F1."""

    theirs_s: float
    ours_f1: float
    trafilatura_f1: float


def compare(name: str, samples: list[Sample], repeat: int, worst: int) -> SetResult:
    """Print the three extractors' quality and speed on one set."""
    import trafilatura
    from resiliparse.extract.html2text import extract_plain_text

    from iot_ingest.extract import extract_article

    def ours(sample: Sample) -> Any:
        return extract_article(sample.url, sample.raw, "text/html; charset=utf-8")

    def theirs(sample: Sample) -> str:
        return trafilatura.extract(sample.html, include_comments=False) or ""

    def resiliparse(sample: Sample) -> str:
        return extract_plain_text(sample.html, main_content=True)

    size = sum(len(s.raw) for s in samples) / len(samples) / 1024
    print(f"{name}: {len(samples)} pages, {size:.0f} KiB on average")
    articles, ours_s = timed(ours, samples, repeat)
    texts, theirs_s = timed(theirs, samples, repeat)
    second, second_s = timed(resiliparse, samples, repeat)
    ours_counts = [match(s.body, a.body_text) for s, a in zip(samples, articles, strict=True)]
    theirs_counts = [match(s.body, t) for s, t in zip(samples, texts, strict=True)]
    second_counts = [match(s.body, t) for s, t in zip(samples, second, strict=True)]
    labelled = [i for i, s in enumerate(samples) if s.title or s.published]
    for label, counts, seconds in (
        ("iot-ingest", ours_counts, ours_s),
        ("trafilatura", theirs_counts, theirs_s),
        ("resiliparse", second_counts, second_s),
    ):
        quality = scores(counts)
        mean = sum(c.f1 for c in counts) / len(counts)
        print(
            f"  {label:12s} body F1 {quality.f1:.4f}  precision {quality.precision:.4f}  recall {quality.recall:.4f}"
            f"  (mean per page {mean:.4f})  {len(samples) / seconds:6.1f} pages/s ({seconds:.2f} s CPU)"
        )
    pairs = zip(samples, ours_counts, theirs_counts, strict=True)
    collapsed = [sample.page_id for sample, o, t in pairs if o.f1 < 0.5 and t.f1 >= 0.9]
    widened = sum("+wide" in (a.extraction_path or "") or a.extraction_path == "wide" for a in articles)
    print(f"  speed: iot-ingest {theirs_s / ours_s:.2f}x trafilatura's pages/s (goal: >= 1.5x)")
    print(f"  pages below 0.5 where trafilatura scores >= 0.9: {len(collapsed)} {' '.join(collapsed)}")
    print(f"  bodies widened by the Resiliparse cross-check: {widened}")
    if labelled:
        titles = sum(same_title(samples[i].title, articles[i].title) for i in labelled)
        dated = [i for i in labelled if samples[i].published]
        days = sum(same_day(samples[i].published, articles[i].published_at) for i in dated)
        their_titles = their_days = 0
        for i in labelled:
            meta = trafilatura.extract_metadata(samples[i].html)
            their_titles += same_title(samples[i].title, meta.title if meta else None)
            when = datetime.fromisoformat(meta.date) if meta and meta.date else None
            their_days += bool(samples[i].published) and bool(when) and same_day(samples[i].published, when)
        n = len(labelled)
        print(f"  titles: iot-ingest {titles / n:.3f}, trafilatura {their_titles / n:.3f}")
        print(
            f"  dates (calendar day, {len(dated)} pages that carry one): iot-ingest {days / len(dated):.3f},"
            f" trafilatura {their_days / len(dated):.3f}"
        )
    ranked = sorted(range(len(samples)), key=lambda i: ours_counts[i].f1)[:worst]
    print(f"  worst {len(ranked)} pages (ours, trafilatura, resiliparse, path):")
    for i in ranked:
        path = getattr(articles[i], "extraction_path", "?")
        print(
            f"    {ours_counts[i].f1:.2f} {theirs_counts[i].f1:.2f} {second_counts[i].f1:.2f}"
            f" {path:24s} {samples[i].page_id}"
        )
    return SetResult(theirs_s, scores(ours_counts).f1, scores(theirs_counts).f1)


# The grid the leave-one-set-out figure chooses from: how much prose must be missing (share of our
# body) and how much of what a widening adds must be in the second opinion.
_GRID = tuple(
    {"missing_share": share, "added_agrees": agrees} for share in (0.15, 0.25, 0.4) for agrees in (0.6, 0.7, 0.8)
)


def leave_one_set_out(sets: dict[str, list[Sample]]) -> None:
    """Choose the cross-check's rules on each set, report them on the other."""
    from dataclasses import replace

    from iot_ingest.extract import crosscheck, extract_article

    def f1(samples: list[Sample]) -> float:
        found = [extract_article(s.url, s.raw, "text/html; charset=utf-8") for s in samples]
        return scores([match(s.body, a.body_text) for s, a in zip(samples, found, strict=True)]).f1

    default = crosscheck.RULES
    table: dict[tuple[int, str], float] = {}
    try:
        for index, overrides in enumerate(_GRID):
            crosscheck.RULES = replace(default, **overrides)
            for name, samples in sets.items():
                table[(index, name)] = f1(samples)
        crosscheck.RULES = replace(default, missing_words=1 << 30)  # never widens: the cross-check off
        off = {name: f1(samples) for name, samples in sets.items()}
    finally:
        crosscheck.RULES = default
    defaults = next(i for i, g in enumerate(_GRID) if all(getattr(default, k) == v for k, v in g.items()))
    print("leave-one-set-out (cross-check rules chosen on one set, F1 on the other):")
    for chosen_on in sets:
        best = max(range(len(_GRID)), key=lambda i: table[(i, chosen_on)])
        for other in (name for name in sets if name != chosen_on):
            print(
                f"  chosen on {chosen_on} ({_GRID[best]}, F1 there {table[(best, chosen_on)]:.4f}):"
                f" {other} F1 {table[(best, other)]:.4f} (defaults {table[(defaults, other)]:.4f},"
                f" best possible {max(table[(i, other)] for i in range(len(_GRID))):.4f},"
                f" without the cross-check {off[other]:.4f})"
            )


def pathological() -> None:
    """CPU seconds for the property tests' pathological pages, the bound they once asserted."""
    from iot_ingest.extract import UnsupportedContent, extract_article

    pages = {
        "20,000 nested divs": b"<html><body>" + b"<div><p>deep " * 20_000 + b"text" + b"</p></div>" * 20_000,
        "20,000 paragraphs": b"<html><body>" + b"<p>Institutes of Technology, colleges and employers.</p>" * 20_000,
        "20,000 links": b"<html><body><ul>" + b'<li><a href="/x">Related story</a></li>' * 20_000 + b"</ul>",
    }
    print("pathological pages (CPU seconds, best of 3; the tests once bounded them at 2 s):")
    for label, body in pages.items():
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            with contextlib.suppress(UnsupportedContent, ValueError):
                extract_article("https://www.example.org/news/story", body, "text/html")
            best = min(best, time.process_time() - started)
        print(f"  {label:20s} {best:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per extractor (best counts)")
    parser.add_argument("--worst", type=int, default=15, help="how many of the worst pages to list per set")
    parser.add_argument("--set", choices=("both", "benchmark", "fundus"), default="both")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line timing")
    parser.add_argument("--no-loso", action="store_true", help="skip the leave-one-set-out figure")
    parser.add_argument("--no-pathological", action="store_true", help="skip the pathological pages")
    args = parser.parse_args()
    wanted = {"benchmark", "fundus"} if args.set == "both" else {args.set}
    missing = [
        path.resolve()
        for name, path, probe in (("benchmark", BENCHMARK, "ground-truth.json"), ("fundus", FUNDUS, "README.md"))
        if name in wanted and not (path / probe).is_file()
    ]
    if missing:
        print(f"data not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    print(pin_to_one_core())
    sets: dict[str, list[Sample]] = {}
    if "benchmark" in wanted:
        sets["article-extraction-benchmark"] = load_benchmark()
    if "fundus" in wanted:
        sets["fundus-dev"] = load_fundus()
    results = {name: compare(name, samples, args.repeat, args.worst) for name, samples in sets.items()}
    if len(sets) > 1 and not args.no_loso:
        leave_one_set_out(sets)
    if not args.no_pathological:
        pathological()
    if args.no_cli or "article-extraction-benchmark" not in results:
        return 0
    theirs_s = results["article-extraction-benchmark"].theirs_s

    from iot_ingest.extract_files import extract_files

    files = sorted((BENCHMARK / "html").glob("*.html.gz"))
    started, cpu = time.perf_counter(), time.process_time()
    extract_files(files, IOT, url=None, out=io.StringIO())
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
        f"  `iot-ingest extract` over the {len(files)} benchmark files (one process, start-up included):"
        f" {as_user_cpu:.2f} s CPU ({as_user:.2f} s wall) = {as_user_cpu / theirs_s:.2f}x trafilatura's"
        f" {theirs_s:.2f} s CPU (goal: <= 1x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
