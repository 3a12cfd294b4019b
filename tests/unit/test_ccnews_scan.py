"""Scanning CC-NEWS WARC files: the prefilters, the file list, and one file read over HTTP from the
loopback fake of the Common Crawl host (resumed by range when the connection breaks)."""

from __future__ import annotations

import pickle
import random
import zlib
from collections.abc import Iterator
from datetime import date

import pytest

from iot_ingest.ccnews import FileScan, ScanTask, scan_file
from iot_ingest.ccnews.scan import RecordFilter
from iot_ingest.config import parse_config
from iot_ingest.fetch import FetchSettings
from iot_ingest.sources.base import DiscoveryFailed, Window
from iot_ingest.sources.ccnews import files_in_window, months_of, parse_paths, paths_url
from iot_ingest.sources.prefilter import raw_prefilter
from tests.support.ccnews_fake import CCNewsHost, FakeMonth, build_month
from tests.support.ccnews_pages import ON_TOPIC, page_html
from tests.support.topics import IOT

SETTINGS = FetchSettings(
    user_agent="iot-ingest-tests/0.1", allow_private_hosts=frozenset({"127.0.0.1"}), backoff_base_s=0.01
)


@pytest.fixture(scope="module")
def month() -> FakeMonth:
    return build_month(2019, 4, files=1, records_per_file=400)


@pytest.fixture
def host(month: FakeMonth) -> Iterator[CCNewsHost]:
    with CCNewsHost(month) as served:
        yield served


def _task(host: CCNewsHost, month: FakeMonth, **kwargs: object) -> ScanTask:
    path = next(iter(month.files))
    return ScanTask("ccnews", f"{host.base}/{path}", path, SETTINGS, IOT, **kwargs)  # type: ignore[arg-type]


def test_the_byte_prefilter_keeps_every_on_topic_page_and_drops_ordinary_news() -> None:
    keep = raw_prefilter(IOT)
    rng = random.Random(1)
    for story in ON_TOPIC:
        assert keep.may_match(page_html(story, "2019-04-10T09:00:00+00:00", rng).encode())
    assert keep.may_match(b"<p>Institutes of&nbsp;<b>Technology</b> opened</p>")
    assert keep.may_match(b"<p>Ten new IoTs for colleges</p>")
    assert keep.may_match(b"<h1>NEW INSTITUTES OF TECHNOLOGY</h1>")
    assert not keep.may_match(b"<p>The patriot chariot idiot won the institute's prize</p>")
    assert not keep.may_match(b"<p>iot in lower case is not the abbreviation</p>")


def test_the_host_filter_reads_suffixes_as_domains() -> None:
    keep = RecordFilter((".uk",), raw_prefilter(IOT))
    assert keep.host_wanted("https://www.feweek.co.uk/2019/04/10/story/")
    assert keep.host_wanted("http://User@News.BBC.CO.UK:8080/x")
    assert not keep.host_wanted("https://uk.example.com/news")
    assert not keep.host_wanted("https://www.example.ie/uk/")
    assert RecordFilter((), raw_prefilter(IOT)).host_wanted("https://example.com/")


def test_the_file_list_and_the_windows_it_is_cut_to() -> None:
    assert paths_url("https://data.commoncrawl.org/", date(2019, 4, 1)) == (
        "https://data.commoncrawl.org/crawl-data/CC-NEWS/2019/04/warc.paths.gz"
    )
    assert months_of(Window(date(2019, 3, 20), date(2019, 5, 2))) == [
        date(2019, 3, 1),
        date(2019, 4, 1),
        date(2019, 5, 1),
    ]
    fake = build_month(2019, 4, files=3, records_per_file=5)
    paths = parse_paths(fake.paths_gz)
    assert paths == list(fake.files)
    assert files_in_window(paths, Window(date(2019, 4, 1), date(2019, 4, 30))) == paths
    assert files_in_window(paths, Window(date(2019, 4, 11), date(2019, 4, 30))) == paths[1:]  # a day before too
    assert files_in_window(paths, Window(date(2019, 4, 21), date(2019, 4, 30))) == []
    with pytest.raises(DiscoveryFailed):
        parse_paths(b"crawl-data/CC-NEWS/2019/04/a.warc.gz\n../../etc/passwd\n")
    with pytest.raises(DiscoveryFailed):
        parse_paths(b"\x1f\x8b\x08broken")


def test_a_ccnews_source_defaults_to_the_common_crawl_host() -> None:
    config = parse_config('[[sources]]\nname = "cc"\nkind = "ccnews"\nhost_suffixes = [".uk"]\n', origin="t")
    assert config.sources[0].base_url == "https://data.commoncrawl.org"
    assert config.sources[0].host_suffixes == [".uk"]


def test_a_scan_keeps_only_the_uk_pages_that_may_be_on_topic(host: CCNewsHost, month: FakeMonth) -> None:
    scan = scan_file(_task(host, month, host_suffixes=(".uk",)))
    kept = {r.item.capture.url for r in scan.records}
    on_topic = set(month.on_topic_urls)
    assert on_topic <= kept
    assert kept - on_topic <= set(month.hard_negative_urls)  # the only other UK pages with the words
    assert {r.item.capture.url for r in scan.records if r.item.relevant} == on_topic
    counts = scan.counts
    assert counts["records"] == month.records
    assert counts["off_host"] > counts["prefiltered"] > counts["passed"] == len(scan.records)
    assert counts["broken"] == len(scan.problems) > 0
    assert counts["bytes"] == len(month.files[scan.path])
    # The offset is where the record's gzip member starts in the CC-NEWS file.
    data = month.files[scan.path]
    first = scan.records[0]
    head = zlib.decompressobj(31).decompress(data[first.offset : first.offset + 4096])
    assert head.startswith(b"WARC/1.0\r\nWARC-Type: response") and first.item.capture.url.encode() in head


def test_without_a_host_filter_the_off_host_report_is_found_too(host: CCNewsHost, month: FakeMonth) -> None:
    scan = scan_file(_task(host, month))
    relevant = {r.item.capture.url for r in scan.records if r.item.relevant}
    assert relevant == set(month.on_topic_urls) | set(month.off_host_urls)
    assert scan.counts["off_host"] == 0


def test_a_broken_download_is_resumed_with_a_range_request(host: CCNewsHost, month: FakeMonth) -> None:
    whole = scan_file(_task(host, month, host_suffixes=(".uk",)))
    path = whole.path
    host.cut_once[path] = len(month.files[path]) // 3
    host.requests.clear()
    resumed = scan_file(_task(host, month, host_suffixes=(".uk",)))
    ranges = [r for p, r in host.requests if p == path]
    assert ranges[0] is None and ranges[1] is not None and ranges[1].startswith("bytes=")
    assert resumed.counts["resumed"] == 1
    assert any(a.error and "resuming" in a.error for a in resumed.attempts)
    assert sum(a.bytes for a in resumed.attempts) == len(month.files[path])  # each attempt's share
    assert [r.item for r in resumed.records] == [r.item for r in whole.records]
    assert [r.offset for r in resumed.records] == [r.offset for r in whole.records]


def test_a_file_that_cannot_be_had_raises(host: CCNewsHost, month: FakeMonth) -> None:
    task = ScanTask("ccnews", f"{host.base}/crawl-data/CC-NEWS/2019/04/missing.warc.gz", "missing", SETTINGS, IOT)
    with pytest.raises(Exception, match="HTTP 404"):
        scan_file(task)


def test_warcio_reads_the_same_records_as_fastwarc(host: CCNewsHost, month: FakeMonth) -> None:
    fast = scan_file(_task(host, month, host_suffixes=(".uk",)))
    slow = scan_file(_task(host, month, host_suffixes=(".uk",), reader="warcio"))
    assert [(r.offset, r.item) for r in slow.records] == [(r.offset, r.item) for r in fast.records]
    for key in ("records", "off_host", "prefiltered", "passed", "relevant", "broken"):
        assert slow.counts[key] == fast.counts[key], key


def test_a_scan_result_is_small_and_survives_pickling(host: CCNewsHost, month: FakeMonth) -> None:
    scan = scan_file(_task(host, month, host_suffixes=(".uk",)))
    shipped = pickle.dumps(scan)
    back: FileScan = pickle.loads(shipped)
    assert [r.item for r in back.records] == [r.item for r in scan.records]
    assert back.counts == scan.counts
    assert len(shipped) < len(month.files[scan.path]) / 5  # the worker sends back what passed, not the file


def test_the_address_guard_holds_for_a_stream_too(host: CCNewsHost, month: FakeMonth) -> None:
    from iot_ingest.fetch import BlockedAddress

    path = next(iter(month.files))
    task = ScanTask("ccnews", f"{host.base}/{path}", path, FetchSettings(user_agent="iot-ingest-tests/0.1"), IOT)
    with pytest.raises(BlockedAddress):
        scan_file(task)
    assert not any(p == path for p, _ in host.requests)  # refused before any request
