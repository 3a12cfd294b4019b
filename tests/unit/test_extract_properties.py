"""Property tests: extraction of damaged or hostile pages raises nothing but UnsupportedContent or
ValueError, and stays within a time bound per page."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

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
TIME_BOUND_S = 2.0


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


def _extract_within_bound(url: str, body: bytes, content_type: str) -> None:
    started = time.process_time()
    try:
        article = extract_article(url, body, content_type, fetched_at=datetime(2023, 1, 1, tzinfo=UTC))
    except (UnsupportedContent, ValueError):
        pass
    else:
        assert isinstance(article, Article)
        assert article.published_at is None or article.published_at.tzinfo is not None
        assert article.published_at is None or article.published_at <= datetime(2023, 1, 2, tzinfo=UTC)
    assert time.process_time() - started < TIME_BOUND_S


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=mutated_pages(), url=st.sampled_from(URLS), content_type=st.sampled_from(CONTENT_TYPES))
def test_mutated_pages_raise_only_documented_errors_within_the_time_bound(
    body: bytes, url: str, content_type: str
) -> None:
    _extract_within_bound(url, body, content_type)


@settings(max_examples=100, deadline=None)
@given(body=st.binary(max_size=3000), url=st.sampled_from(URLS), content_type=st.sampled_from(CONTENT_TYPES))
def test_arbitrary_bytes_raise_only_documented_errors(body: bytes, url: str, content_type: str) -> None:
    _extract_within_bound(url, body, content_type)


def test_pathological_nesting_and_size_stay_within_the_bound() -> None:
    deep = b"<html><body>" + b"<div><p>deep " * 20_000 + b"text" + b"</p></div>" * 20_000 + b"</body></html>"
    wide = b"<html><body>" + b"<p>Institutes of Technology, colleges and employers.</p>" * 20_000 + b"</body></html>"
    links = b"<html><body><ul>" + b'<li><a href="/x">Related story</a></li>' * 20_000 + b"</ul></body></html>"
    for body in (deep, wide, links):
        _extract_within_bound("https://www.example.org/news/story", body, "text/html")
