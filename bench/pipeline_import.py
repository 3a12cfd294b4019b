"""The whole pipeline against extraction alone: `import-warc` of the article-extraction-benchmark's
181 pages packed as one WARC (archive, extract, deduplicate, load into a fresh warehouse) against
trafilatura's `extract` over the same pages, in the same run.

    .venv/bin/python bench/pipeline_import.py [--repeat 3]

The WARC and the warehouses are written to a temporary directory, never into the repository.
Each side is warmed up once (imports, first call), then timed `--repeat` times alternately; the
best time of each is reported, wall clock and CPU. The CLI (`iot-ingest import-warc`, a new process
each time, interpreter start included) is timed as well, its CPU time from the children's usage, and
compared with trafilatura run the same way (a new interpreter extracting the same pages).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from iot_ingest.archive import Capture, RawArchive
from iot_ingest.config import parse_config
from iot_ingest.ingest import import_warcs

BENCHMARK = Path(__file__).resolve().parents[1] / ".." / "shared" / "reference" / "article-extraction-benchmark"
CLI = Path(sys.executable).with_name("iot-ingest")


def pages() -> list[tuple[str, bytes]]:
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text("utf-8"))
    found = []
    for path in sorted((BENCHMARK / "html").glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        found.append((truth[key]["url"], gzip.decompress(path.read_bytes())))
    return found


def pack(directory: Path, items: list[tuple[str, bytes]]) -> Path:
    """One WARC.gz of the pages as HTTP 200 responses, written by the product's own archive writer."""
    fetched_at = datetime(2024, 1, 1, tzinfo=UTC)
    headers = (("Content-Type", "text/html"),)
    with RawArchive(directory, max_file_bytes=1 << 40) as archive:
        files = {archive.append(Capture(url, fetched_at, 200, headers, body)).file for url, body in items}
    (name,) = files
    return directory / name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not BENCHMARK.is_dir():
        sys.exit(f"{BENCHMARK} is absent: nothing to measure")
    items = pages()
    config = parse_config("", origin="bench")
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        root = Path(tmp)
        warc = pack(root / "warc", items)
        print(
            f"{len(items)} pages, {sum(len(b) for _, b in items) / 1e6:.1f} MB of HTML, "
            f"WARC {warc.stat().st_size / 1e6:.1f} MB; load average {_load()}"
        )

        def ours(run: int) -> tuple[float, float]:
            started, cpu = time.perf_counter(), time.process_time()
            counts = import_warcs([warc], root / f"db-{run}" / "iot.duckdb", config, show_progress=False)
            elapsed = time.perf_counter() - started, time.process_time() - cpu
            if counts.load.articles_seen == 0:
                raise SystemExit(f"import loaded nothing: {counts.as_dict()}")
            return elapsed

        def theirs() -> tuple[float, float]:
            started, cpu = time.perf_counter(), time.process_time()
            extracted = [trafilatura.extract(body, url=url) for url, body in items]
            elapsed = time.perf_counter() - started, time.process_time() - cpu
            if sum(1 for text in extracted if text) < len(items) // 2:
                raise SystemExit("trafilatura extracted too little")
            return elapsed

        def cli(run: int) -> tuple[float, float]:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            db = root / f"cli-{run}" / "iot.duckdb"
            subprocess.run([str(CLI), "import-warc", "--db", str(db), str(warc)], check=True, capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            return time.perf_counter() - started, cpu

        def theirs_cli() -> tuple[float, float]:
            """trafilatura in a new process too: interpreter start and its imports paid, as the CLI pays its own."""
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", _TRAFILATURA_PROCESS, str(BENCHMARK)], check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            return time.perf_counter() - started, cpu

        ours(-1)
        trafilatura.extract(items[0][1])
        pipeline, extraction, command, extraction_process = [], [], [], []
        for run in range(args.repeat):
            pipeline.append(ours(run))
            extraction.append(theirs())
            command.append(cli(run))
            extraction_process.append(theirs_cli())
        (p_wall, p_cpu), (t_wall, t_cpu), (c_wall, c_cpu) = min(pipeline), min(extraction), min(command)
        tp_wall, tp_cpu = min(extraction_process)
        n = len(items)
        print(
            f"  iot-ingest import-warc (in process): {p_wall:6.2f}s wall {p_cpu:6.2f}s CPU  {n / p_wall:6.1f} pages/s"
        )
        print(
            f"  iot-ingest import-warc (CLI):        {c_wall:6.2f}s wall {c_cpu:6.2f}s CPU  {n / c_wall:6.1f} pages/s"
        )
        print(
            f"  trafilatura.extract alone:           {t_wall:6.2f}s wall {t_cpu:6.2f}s CPU  {n / t_wall:6.1f} pages/s"
        )
        print(
            f"  trafilatura in a new process:        {tp_wall:6.2f}s wall {tp_cpu:6.2f}s CPU"
            f"  {n / tp_wall:6.1f} pages/s"
        )
        print(f"  pipeline speed / trafilatura: {t_wall / p_wall:.2f}x in process, {t_wall / c_wall:.2f}x CLI "
              "(goal: at least 0.8x)")  # fmt: skip
        # CPU time is the steadier figure on a shared machine: others' work inflates wall time.
        print(f"  by CPU time: {t_cpu / p_cpu:.2f}x in process, {t_cpu / c_cpu:.2f}x CLI")
        print(f"  CLI / trafilatura, both new processes: {tp_wall / c_wall:.2f}x wall, {tp_cpu / c_cpu:.2f}x CPU")
        print(f"  load average at the end: {_load()}")


# The pages as `pages()` reads them, extracted by trafilatura, in a fresh interpreter.
_TRAFILATURA_PROCESS = """
import gzip, json, sys
from pathlib import Path
import trafilatura
root = Path(sys.argv[1])
truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
for path in sorted((root / "html").glob("*.html.gz")):
    trafilatura.extract(gzip.decompress(path.read_bytes()), url=truth[path.name.removesuffix(".html.gz")]["url"])
"""


def _load() -> str:
    """The 1, 5 and 15 minute load averages: on a shared machine, what the wall times were up against."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
