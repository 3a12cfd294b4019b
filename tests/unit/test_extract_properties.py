"""Property tests: extraction of damaged or hostile pages raises nothing but UnsupportedContent or
ValueError, and its cost grows linearly with the page (no quadratic path).

No test here compares a time with a fixed bound: on a shared 2-core machine a wall-clock or CPU
bound flakes. The absolute time for pathological pages is a figure of `bench/extraction.py
--pathological`; the test asserts the property that keeps it small, that doubling a page at most
about doubles its cost."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iot_ingest.demo import sample_pages
from iot_ingest.extract import Article, UnsupportedContent, extract_article

GOLDEN = Path(__file__).parents[1] / "golden"
SEEDS = [p.read_bytes() for p in sorted(GOLDEN.glob("*/*.html"))] + [
    p.read_bytes() for p in sorted(Path(str(sample_pages())).glob("*/*.html"))
]
URLS = [
    "https://www.gov.uk/government/news/the-first-twelve-institutes-of-technology-announced",
    "https://feweek.co.uk/2021/12/17/nine-more-institutes-of-technology-named/",
    "https://www.example.org/news/story",
    "https://www.gov.uk/api/content/government/news/x",
]
CONTENT_TYPES = ["text/html", "text/html; charset=utf-8", "text/html; charset=latin-1", "", "application/json"]
# Fragments that break markup in the ways real pages do: unclosed and stray tags, comments and
# scripts left open, entities, NULs, declarations in the wrong place, JSON-LD that is not JSON.
NOISE = [
    b"<",
    b">",
    b"</div>",
    b"<div>",
    b"<p>",
    b"<!--",
    b"-->",
    b"<script>",
    b"</script>",
    b'<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": ',
    b"&#0;",
    b"&#x110000;",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<meta charset="klingon">',
    b'<time datetime="9999-99-99">',
    b'<meta property="article:published_time" content="0000-00-00T00:00:00Z">',
    b"<table><tr><td>",
    "Published 31 February 2019 £170m “quoted”".encode(),
]
# Doubling the page doubles a linear cost and quadruples a quadratic one; 3x tells them apart with
# room for noise (the fixed per-page cost only lowers the ratio).
GROWTH_BOUND = 3.0


@st.composite
def mutated_pages(draw: st.DrawFn) -> bytes:
    page = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        at = draw(st.integers(min_value=0, max_value=len(page)))
        action = draw(st.sampled_from(["insert", "delete", "truncate", "duplicate", "bytes"]))
        if action == "insert":
            page[at:at] = draw(st.sampled_from(NOISE))
        elif action == "delete":
            del page[at : at + draw(st.integers(min_value=1, max_value=400))]
        elif action == "truncate":
            del page[at:]
        elif action == "duplicate":
            page[at:at] = page[at : at + draw(st.integers(min_value=1, max_value=2000))]
        else:
            page[at:at] = draw(st.binary(max_size=40))
    return bytes(page)


def _extract_checked(url: str, body: bytes, content_type: str) -> None:
    try:
        article = extract_article(url, body, content_type, fetched_at=datetime(2023, 1, 1, tzinfo=UTC))
    except (UnsupportedContent, ValueError):
        pass
    else:
        assert isinstance(article, Article)
        assert article.published_at is None or article.published_at.tzinfo is not None
        assert article.published_at is None or article.published_at <= datetime(2023, 1, 2, tzinfo=UTC)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=mutated_pages(), url=st.sampled_from(URLS), content_type=st.sampled_from(CONTENT_TYPES))
def test_mutated_pages_raise_only_documented_errors(body: bytes, url: str, content_type: str) -> None:
    _extract_checked(url, body, content_type)


@settings(max_examples=100, deadline=None)
@given(body=st.binary(max_size=3000), url=st.sampled_from(URLS), content_type=st.sampled_from(CONTENT_TYPES))
def test_arbitrary_bytes_raise_only_documented_errors(body: bytes, url: str, content_type: str) -> None:
    _extract_checked(url, body, content_type)


def _deep(n: int) -> bytes:
    return b"<html><body>" + b"<div><p>deep " * n + b"text" + b"</p></div>" * n + b"</body></html>"


def _wide(n: int) -> bytes:
    return b"<html><body>" + b"<p>Institutes of Technology, colleges and employers.</p>" * n + b"</body></html>"


def _links(n: int) -> bytes:
    return b"<html><body><ul>" + b'<li><a href="/x">Related story</a></li>' * n + b"</ul></body></html>"


def _cpu_seconds(body: bytes, repeat: int = 3) -> float:
    """The least CPU time of a few extractions: other processes' load only ever adds to it."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        _extract_checked("https://www.example.org/news/story", body, "text/html")
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.serial
@pytest.mark.parametrize("page", [_deep, _wide, _links], ids=["deep", "wide", "links"])
def test_pathological_nesting_and_size_cost_grows_linearly(page: Callable[[int], bytes]) -> None:
    small, large = _cpu_seconds(page(5_000)), _cpu_seconds(page(10_000))
    assert large < GROWTH_BOUND * max(small, 1e-3), f"{small:.3f} s for 5,000 items, {large:.3f} s for 10,000"
