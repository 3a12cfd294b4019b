"""Hostile pages, feeds, sitemaps, listings and WARC records: no crash, bounded time and memory,
every refusal with its reason. The long atheris runs are fuzz/run.py; figures in RELIABILITY.md."""

from __future__ import annotations

import contextlib
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iot_ingest.archive import Capture
from tests.conftest import CliResult, write_warc
from tests.support.digest import rows
from tests.support.hostile import FETCHED_AT, SEEDS, TARGETS, deep_nesting, hostile_cases
from tests.support.topics import facts_of

BIG = 128 * 1024  # the pytest size of the "big" cases; fuzz/run.py --big uses 10 MB
SECONDS_PER_ITEM = 5.0
# Memory per item: a small multiple of the input (a parse tree of it) and a fixed allowance; for
# compressed input, the decompression limits (50 MB of XML, 64 MB of WARC record) set the bound.
MEMORY_PER_ITEM = lambda size: 50 * 2**20 + 40 * size  # noqa: E731
MEMORY_CEILING = 3 * 64 * 2**20


def _bounded(target: Callable[[bytes], str], data: bytes) -> tuple[str, float, int]:
    """The verdict, the seconds it took, and the peak of memory allocated meanwhile (a second pass:
    tracing allocations slows the parsers several times over)."""
    started = time.monotonic()
    verdict = target(data)
    seconds = time.monotonic() - started
    tracemalloc.start()
    try:
        target(data)
        return verdict, seconds, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("target", "name", "data"), [pytest.param(*c, id=f"{c[0]}-{c[1]}") for c in hostile_cases(BIG)]
)
def test_named_hostile_input_is_survived_in_bounded_time_and_memory(target: str, name: str, data: bytes) -> None:
    verdict, seconds, peak = _bounded(TARGETS[target], data)
    assert seconds < SECONDS_PER_ITEM, f"{name}: {seconds:.1f}s"
    bound = MEMORY_CEILING if "gzip bomb" in name else MEMORY_PER_ITEM(len(data))
    assert peak < bound, f"{name}: {peak / 2**20:.0f} MiB"
    if verdict.startswith("refused"):
        assert len(verdict) > len("refused: "), "a refusal says why"


@pytest.mark.parametrize("root", ["rss", "urlset"])
def test_entity_tricks_are_refused_not_expanded(root: str) -> None:
    from tests.support.hostile import billion_laughs, external_entity

    target = TARGETS["feed" if root == "rss" else "sitemap"]
    for data in (billion_laughs(root), external_entity(root)):
        assert "entity declarations" in target(data)


def test_absurd_numbers_never_become_a_headline_sum() -> None:

    facts = facts_of(
        "£999999999999bn for Institutes of Technology",
        "Ministers pledged £999999999999bn and 99999999999999999999 Institutes of Technology.",
    )
    assert facts.funding_gbp is None or facts.funding_gbp < 2**63


# That its cost grows linearly with depth (the old soup walk was quadratic) is asserted by
# tests/unit/test_extract_properties.py's growth property, and timed in bench/extraction.py.
def test_a_deeply_nested_page_is_extracted_or_refused() -> None:
    with contextlib.suppress(RecursionError):  # recorded as an extraction failure by the ingest step
        TARGETS["extract"](deep_nesting(3000))


# The page is parsed by lxml's HTML parser first: an XML document warns nothing on the way.
def test_an_xml_document_as_a_page_warns_nothing() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        TARGETS["extract"](b'<?xml version="1.0"?><rss><channel><title>Institutes</title></channel></rss>')


# ---- generated and mutated input ---------------------------------------------------------------

FRAGMENTS = [
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<article>",
    "<script>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "&lol;",
    '<meta property="article:published_time" content="2019-02-31">',
    '<time datetime="0000-00-00">',
    '<script type="application/ld+json">{"datePublished": "31 February 2019", "@graph": [[[]]]}</script>',
    '<link rel="canonical" href="javascript:alert(1)">',
    '<link rel="canonical" href="http://[::1">',
    "£999999999999bn",
    "Institutes of Technology",
    "\x00",
    "\ufeff",
    "<title>",
    "</title>",
    "<h1>",
    "<base href='file:///'>",
]
html_documents = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=60).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
)


def _mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    """The seed with one slice replaced by random bytes: mostly well-formed, wrong in one place."""
    return st.tuples(st.integers(0, len(seed)), st.integers(0, 64), st.binary(max_size=64)).map(
        lambda m: seed[: m[0]] + m[2] + seed[m[0] + m[1] :]
    )


FAST = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.one_of(html_documents, st.binary(max_size=2000), _mutated(SEEDS["extract"]())))
def test_extraction_survives_generated_pages(data: bytes) -> None:
    TARGETS["extract"](data)


@pytest.mark.parametrize("target", ["feed", "sitemap", "listing", "warc"])
def test_discovery_parsers_and_the_warc_reader_survive_mutations(target: str) -> None:
    @FAST
    @given(st.one_of(_mutated(SEEDS[target]()), st.binary(max_size=1000)))
    def check(data: bytes) -> None:
        TARGETS[target](data)

    check()


# ---- through the pipeline: nothing stops an import, every refusal is recorded ------------------


@pytest.mark.integration
def test_an_import_of_hostile_pages_completes_and_records_every_refusal(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    pages = [(n, d) for t, n, d in hostile_cases(64 * 1024) if t == "extract"] + [("nested", deep_nesting(1200))]
    captures = [
        Capture(
            url=f"https://www.gov.uk/government/news/hostile-{i}",
            fetched_at=FETCHED_AT,
            status=200,
            headers=(("Content-Type", "text/html; charset=utf-8"),),
            body=data,
        )
        for i, (_, data) in enumerate(pages)
    ]
    warc = write_warc(tmp_path / "hostile.warc.gz", captures)
    with warc.open("ab") as handle:
        handle.write(b"\x1f\x8b\x08\x00garbage that is no gzip member")
    db = tmp_path / "iot.duckdb"
    done = cli("import-warc", "--db", db, warc)
    assert done.code == 0, done.err
    assert rows(db, "SELECT count(*) FROM responses") == [(len(captures),)], "every response archived"
    articles = {u for (u,) in rows(db, "SELECT url FROM sightings")}
    errors = dict(rows(db, "SELECT coalesce(url, location), reason FROM ingest_errors"))
    for capture in captures:
        assert capture.url in articles or capture.url in errors or capture.body[:4] in (b"", b"\x89PNG"), capture.url
    assert all(reason for reason in errors.values())
    assert any("gzip" in reason for reason in errors.values()), "the garbage member is recorded"
    assert "RecursionError" in errors.get(captures[-1].url, "RecursionError"), "too deep: recorded, not fatal"


@pytest.mark.integration
@pytest.mark.parametrize("harness", ["extract", "sources", "warc"])
def test_the_atheris_harnesses_run(harness: str, tmp_path: Path) -> None:
    """A short run of each fuzz/ harness (the long ones are fuzz/run.py): it fuzzes and finds nothing."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(root / "fuzz" / f"fuzz_{harness}.py"), "-runs=300", "-max_len=4096", "-timeout=20"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Done 300 runs" in done.stderr


@pytest.mark.parametrize(
    "record",
    [
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: -5\r\n\r\n",
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://www.gov.uk/x\r\nContent-Length: 0\r\n\r\n",
    ],
    ids=["negative-length-no-uri", "empty-http-response"],
)
def test_a_response_record_without_a_response_is_a_recorded_problem_not_skipped(record: bytes) -> None:
    import gzip

    from iot_ingest.archive.reader import RecordProblem, iter_warc_bytes

    (found,) = list(iter_warc_bytes(gzip.compress(record), Path("x.warc.gz")))
    assert isinstance(found, RecordProblem) and found.reason == "response record holds no HTTP response"
