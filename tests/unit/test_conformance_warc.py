"""The WARC/ARC reader against warcio's own test files: no response warcio reads is lost.

For each file, the HTTP responses warcio reads (ARC converted as warcio converts it) must be the
ones the reader gives, same address, status and body; whatever the reader cannot take is a
problem with a reason. Differences are listed in EXPLAINED or fail the test.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from iot_ingest.archive.reader import RecordProblem, WarcResponse, iter_warc
from tests.support.conformance import corpus

Response = tuple[str, int | str, bytes]

EXPLAINED = {
    "bad.arc": "warcio gives a 'response' with no HTTP status line and no body: a problem, not an article",
    "example-trunc.warc": "the response's block and payload digests fail (the record is cut short): recorded as a "
    "problem, not imported; warcio reads it only when not checking digests",
    # warcio stops at a file gzipped as one stream ("non-chunked"); the reader reads it whole.
    "example-bad-non-chunked.warc.gz": "the reader also reads a file gzipped as one stream, which warcio refuses",
    "example-bad.warc.gz.bad": "the reader also reads a file gzipped as one stream, which warcio refuses",
}


def _warcio_reads(path: Path) -> list[Response]:
    found: list[Response] = []
    with path.open("rb") as handle:
        try:
            for record in ArchiveIterator(handle, arc2warc=True):
                if record.rec_type == "response" and record.http_headers is not None:
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    status = record.http_headers.get_statuscode()
                    found.append((url, int(status) if status.isdigit() else status, record.content_stream().read()))
        except ArchiveLoadFailed:
            pass  # what warcio read before it stopped is what it reads
    return found


def _reader_reads(path: Path) -> tuple[list[Response], list[RecordProblem]]:
    responses, problems = [], []
    for item in iter_warc(path):
        if isinstance(item, WarcResponse):
            responses.append((item.capture.url, item.capture.status, item.capture.body))
        else:
            problems.append(item)
    return responses, problems


def test_warcio_corpus_has_no_unexplained_difference(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    root = corpus("warcio")
    differing = {}
    for path in sorted(p for p in root.iterdir() if p.is_file()):
        theirs = _warcio_reads(path)
        ours, problems = _reader_reads(path)
        assert all(p.reason for p in problems), path.name
        if ours != theirs:
            differing[path.name] = f"warcio {[r[:2] for r in theirs]}, reader {[r[:2] for r in ours]}"
    assert {n: v for n, v in differing.items() if n not in EXPLAINED} == {}
    assert sorted(set(EXPLAINED) - set(differing)) == [], "an explained difference that no longer differs"


@pytest.mark.parametrize("name", ["example.arc", "example.arc.gz", "example-space-in-url.arc"])
def test_arc_files_give_their_response(name: str) -> None:
    path = corpus("warcio") / name
    ours, _problems = _reader_reads(path)
    assert [(url, status) for url, status, _body in ours] == [(u, s) for u, s, _b in _warcio_reads(path)]
    assert ours and ours[0][1] == 200 and b"Example Domain" in ours[0][2]


def test_a_bad_arc_names_each_bad_record() -> None:
    _ours, problems = _reader_reads(corpus("warcio") / "bad.arc")
    reasons = [p.reason for p in problems]
    assert any("ARC record header has no valid length" in r for r in reasons)
    assert any("bad HTTP status" in r for r in reasons)
