"""Extraction quality on the two reference sets read in place from ../shared/reference/ (skipped
where absent): the 2020 article-extraction benchmark and fundus-dev's modern pages. The floors are
a little under the figures in BENCHMARKS.md, so a regression fails here before a bench run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from iot_ingest.extract import extract_article

BENCH = Path(__file__).parents[2] / "bench" / "extraction.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extraction", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()


def _articles(samples: list[Any]) -> list[Any]:
    return [extract_article(s.url, s.raw, "text/html; charset=utf-8") for s in samples]


@pytest.mark.skipif(not (bench.FUNDUS / "README.md").is_file(), reason="fundus-dev not in ../shared/reference/")
def test_fundus_dev_bodies_titles_and_dates() -> None:
    samples = bench.load_fundus()
    articles = _articles(samples)
    counts = [bench.match(s.body, a.body_text) for s, a in zip(samples, articles, strict=True)]
    assert bench.scores(counts).f1 >= 0.95
    assert sum(bench.same_title(s.title, a.title) for s, a in zip(samples, articles, strict=True)) >= 0.76 * len(
        samples
    )
    days = sum(bench.same_day(s.published, a.published_at) for s, a in zip(samples, articles, strict=True))
    assert days >= 0.965 * len(samples)
    assert all(a.extraction_path for a in articles)


@pytest.mark.skipif(
    not (bench.BENCHMARK / "ground-truth.json").is_file(),
    reason="article-extraction-benchmark not in ../shared/reference/",
)
def test_article_extraction_benchmark_bodies() -> None:
    samples = bench.load_benchmark()
    articles = _articles(samples)
    counts = [bench.match(s.body, a.body_text) for s, a in zip(samples, articles, strict=True)]
    assert bench.scores(counts).f1 >= 0.966
