"""The raw archive's crash recovery on files written by RawArchive itself, without a warehouse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from iot_ingest.archive import Capture, RawArchive, WarcResponse, iter_warc
from iot_ingest.archive.recover import recover_tails

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _write(directory: Path, captures: list[Capture], *, failure_after: bool = False) -> tuple[str, list[int]]:
    """Archive `captures`; the file name and the end offset after each record."""
    ends = []
    with RawArchive(directory, max_file_bytes=1 << 30) as archive:
        for capture in captures:
            at = archive.append(capture)
            ends.append(at.offset + at.length)
        if failure_after:
            archive.append_failure("https://www.gov.uk/x", EPOCH, "ConnectTimeout")
    return at.file, ends


def _responses(path: Path) -> int:
    return sum(isinstance(item, WarcResponse) for item in iter_warc(path))


def test_a_file_committed_to_its_end_is_left_alone_even_with_fetch_errors_after(
    tmp_path: Path, captures: list[Capture]
) -> None:
    name, ends = _write(tmp_path, captures[:3], failure_after=True)
    before = (tmp_path / name).read_bytes()
    assert recover_tails(tmp_path, {name: ends[-1]}, EPOCH) == []
    assert (tmp_path / name).read_bytes() == before
    assert not (tmp_path / "recovered").exists()


def test_records_past_the_last_commit_are_cut_and_kept_aside(tmp_path: Path, captures: list[Capture]) -> None:
    name, ends = _write(tmp_path, captures[:5])
    whole = (tmp_path / name).read_bytes()
    (aside,) = recover_tails(tmp_path, {name: ends[1]}, EPOCH)
    assert (aside.file, aside.offset, aside.length) == (name, ends[1], len(whole) - ends[1])
    assert aside.reason == "interrupted write: 3 record(s) archived but never committed to the warehouse"
    assert (tmp_path / name).read_bytes() == whole[: ends[1]]
    assert (tmp_path / aside.kept_at).read_bytes() == whole[ends[1] :]
    assert _responses(tmp_path / name) == 2
    assert recover_tails(tmp_path, {name: ends[1]}, EPOCH) == [], "a second pass finds nothing"


def test_a_torn_member_alone_is_cut(tmp_path: Path, captures: list[Capture]) -> None:
    name, ends = _write(tmp_path, captures[:2])
    with (tmp_path / name).open("ab") as handle:
        handle.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03half a record")
    (aside,) = recover_tails(tmp_path, {name: ends[-1]}, EPOCH)
    assert aside.offset == ends[-1] and "torn tail" in aside.reason and "never committed" not in aside.reason
    assert (tmp_path / name).stat().st_size == ends[-1]


def test_a_file_no_row_points_at_is_cut_only_if_this_warehouse_wrote_it(
    tmp_path: Path, captures: list[Capture]
) -> None:
    name, _ = _write(tmp_path, captures[:2])
    path = tmp_path / name
    written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    # Older than the warehouse's first run: another warehouse's file, not an orphan.
    assert recover_tails(tmp_path, {}, written + timedelta(hours=1)) == []
    # A warehouse that has never run has written nothing.
    assert recover_tails(tmp_path, {}, None) == []
    (aside,) = recover_tails(tmp_path, {}, written - timedelta(hours=1))
    assert "2 record(s)" in aside.reason
    assert _responses(path) == 0 and path.stat().st_size == aside.offset > 0, "the warcinfo record stays"


def test_files_of_other_programs_are_never_touched(tmp_path: Path, captures: list[Capture]) -> None:
    name, _ = _write(tmp_path, captures[:1])
    foreign = tmp_path / "crawl-2019.warc.gz"
    (tmp_path / name).rename(foreign)
    assert recover_tails(tmp_path, {}, EPOCH) == []
    assert _responses(foreign) == 1
