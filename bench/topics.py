"""What following a second topic costs extraction: `process_capture` over the article-extraction
benchmark's 181 pages (../shared) with the built-in topic alone, then with the UK DRI example beside
it, in the same run, alternately, best of `--repeat`. Relevance is scored per topic and facts read
per relevant topic; extracting the article itself is done once whatever the topics.

    .venv/bin/python bench/topics.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pipeline_import import BENCHMARK, pages

from iot_ingest.archive import Capture
from iot_ingest.config import DEFAULT_TOPIC
from iot_ingest.ingest.process import process_capture
from iot_ingest.topics import TopicSet, load_topics
from tests.support.event_corpus import TOPIC_CORPORA


def seconds(captures: list[Capture], topics: TopicSet) -> float:
    started = time.process_time()
    for capture in captures:
        process_capture(capture, topics)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not BENCHMARK.is_dir():
        sys.exit(f"{BENCHMARK} is absent: nothing to measure")
    fetched_at = datetime(2024, 1, 1, tzinfo=UTC)
    captures = [Capture(url, fetched_at, 200, (("Content-Type", "text/html"),), body) for url, body in pages()]
    one = load_topics([(DEFAULT_TOPIC, None)])
    (name, path), *_ = ((p.stem, p) for p in TOPIC_CORPORA.values())
    two = load_topics([(DEFAULT_TOPIC, None), (name, str(path))])
    seconds(captures, two)  # warm-up: imports, caches, compiled patterns
    best = {"one": float("inf"), "two": float("inf")}
    for _ in range(args.repeat):
        best["one"] = min(best["one"], seconds(captures, one))
        best["two"] = min(best["two"], seconds(captures, two))
    print(f"process_capture over {len(captures)} pages, CPU seconds, best of {args.repeat}:")
    print(f"  {DEFAULT_TOPIC} alone:            {best['one']:.2f} s  {len(captures) / best['one']:.1f} pages/s")
    print(f"  with {name} beside it: {best['two']:.2f} s  {len(captures) / best['two']:.1f} pages/s")
    print(f"  a second topic costs {100 * (best['two'] / best['one'] - 1):+.1f}% of extraction time")


if __name__ == "__main__":
    main()
