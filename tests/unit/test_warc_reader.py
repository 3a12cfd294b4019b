"""The WARC reader survives damage: a bad record is reported with its offset and the rest still read."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from iot_ingest.archive import Capture, RawArchive, RecordProblem, WarcResponse, iter_warc, read_archived


def _capture(n: int, body: bytes | None = None) -> Capture:
    return Capture(
        url=f"https://feweek.co.uk/2021/12/17/story-{n}/",
        fetched_at=datetime(2021, 12, 17, 12, n, tzinfo=UTC),
        status=200,
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=body if body is not None else f"<html><body><p>Story {n} about £120m</p></body></html>".encode(),
    )


def _read(path: Path) -> tuple[list[WarcResponse], list[RecordProblem]]:
    items = list(iter_warc(path))
    return [i for i in items if isinstance(i, WarcResponse)], [i for i in items if isinstance(i, RecordProblem)]


def test_reads_every_response_of_a_warcio_written_file(warc_of: Callable[..., Path]) -> None:
    path = warc_of([_capture(n) for n in range(5)])
    responses, problems = _read(path)
    assert problems == []
    assert [r.capture.url for r in responses] == [_capture(n).url for n in range(5)]
    assert responses[0].capture.body == _capture(0).body
    assert responses[0].capture.fetched_at == datetime(2021, 12, 17, 12, 0, tzinfo=UTC)
    assert responses[0].capture.status == 200


def test_uncompressed_warc(warc_of: Callable[..., Path]) -> None:
    responses, problems = _read(warc_of([_capture(n) for n in range(3)], name="plain.warc"))
    assert problems == []
    assert len(responses) == 3


def test_content_encoding_is_decoded(warc_of: Callable[..., Path]) -> None:
    responses, _ = _read(warc_of([_capture(1)], content_encoding="gzip"))
    assert responses[0].capture.body == _capture(1).body
    assert responses[0].capture.header("content-encoding") is None


def test_a_corrupt_gzip_member_is_reported_and_the_next_records_still_read(warc_of: Callable[..., Path]) -> None:
    path = warc_of([_capture(n) for n in range(4)])
    offsets = [r.offset for r in _read(path)[0]]
    data = bytearray(path.read_bytes())
    middle = offsets[1] + (offsets[2] - offsets[1]) // 2
    data[middle : middle + 16] = b"\x00" * 16  # damage record 1's compressed bytes
    path.write_bytes(bytes(data))
    responses, problems = _read(path)
    assert [r.capture.url for r in responses] == [_capture(n).url for n in (0, 2, 3)]
    assert len(problems) == 1
    assert problems[0].offset == offsets[1]
    assert problems[0].reason


def test_a_truncated_last_record_is_reported(warc_of: Callable[..., Path]) -> None:
    path = warc_of([_capture(n) for n in range(3)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    responses, problems = _read(path)
    assert len(responses) == 2
    assert len(problems) == 1
    assert "truncated" in problems[0].reason


def test_a_truncated_uncompressed_record_is_reported(warc_of: Callable[..., Path]) -> None:
    path = warc_of([_capture(n) for n in range(3)], name="plain.warc")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 30])
    responses, problems = _read(path)
    assert len(responses) == 2
    assert "truncated" in problems[0].reason


def test_garbage_between_uncompressed_records_is_skipped(warc_of: Callable[..., Path]) -> None:
    path = warc_of([_capture(n) for n in range(3)], name="plain.warc")
    data = path.read_bytes()
    second = data.index(b"WARC/1.", 10)
    path.write_bytes(data[:second] + b"this is not a WARC header\r\n\r\n" + data[second:])
    responses, problems = _read(path)
    assert len(responses) == 3
    assert len(problems) == 1
    assert "WARC/1.x" in problems[0].reason


def test_a_payload_digest_mismatch_is_a_problem(warc_of: Callable[..., Path]) -> None:
    path = warc_of([_capture(1, body=b"<html><body><p>original text</p></body></html>")], name="plain.warc")
    data = path.read_bytes().replace(b"original text", b"tampered text")
    path.write_bytes(data)
    responses, problems = _read(path)
    assert responses == []
    assert "digest" in problems[0].reason.lower()


def test_an_oversized_record_is_refused_without_reading_it_into_memory(warc_of: Callable[..., Path]) -> None:
    path = warc_of([_capture(1, body=b"<p>" + b"x" * 200_000 + b"</p>"), _capture(2)])
    items = list(iter_warc(path, max_record_bytes=50_000))
    assert isinstance(items[0], RecordProblem)
    assert "larger than" in items[0].reason
    assert isinstance(items[1], WarcResponse)


def test_an_empty_or_non_warc_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    assert list(iter_warc(empty)) == []
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(gzip.compress(b"not a warc at all"))
    (problem,) = list(iter_warc(junk))
    assert isinstance(problem, RecordProblem)


def test_the_archive_writes_records_that_read_back_by_offset(tmp_path: Path) -> None:
    with RawArchive(tmp_path / "raw", max_file_bytes=1500) as archive:
        placed = [(c, archive.append(c)) for c in (_capture(n) for n in range(6))]
    files = {at.file for _, at in placed}
    assert len(files) > 1, "small max_file_bytes should rotate files"
    for capture, at in placed:
        back = read_archived(tmp_path / "raw", at.file, at.offset, at.length)
        assert back.url == capture.url
        assert back.body == capture.body
        assert back.response_id == capture.response_id
    # And the files are ordinary WARCs that the reader (and warcio) read whole.
    total = sum(len(_read(tmp_path / "raw" / f)[0]) for f in files)
    assert total == 6


def test_failures_are_archived_as_metadata_records_that_readers_pass_over(tmp_path: Path) -> None:
    import io

    from warcio.archiveiterator import ArchiveIterator

    with RawArchive(tmp_path, max_file_bytes=1 << 20) as archive:
        archive.append(_capture(1))
        at = archive.append_failure(
            "https://feweek.co.uk/x", datetime(2021, 12, 17, tzinfo=UTC), "timeout (ReadTimeout)"
        )
        archive.append(_capture(2))
    path = tmp_path / at.file
    with path.open("rb") as handle:
        handle.seek(at.offset)
        seen = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(io.BytesIO(handle.read(at.length)))
        ]
    assert seen == [("metadata", "https://feweek.co.uk/x", b"fetch-error: timeout (ReadTimeout)\r\n")]
    responses, problems = _read(path)
    assert len(responses) == 2 and problems == []
