"""The sitemap reader against crawler-commons' sitemap corpus, and the media-extension rule.

Each file's page addresses are also read independently (every `<loc>` directly inside a `<url>`
or `<sitemap>`, or each line of a text sitemap) and must be what the reader gives; the counts are
what crawler-commons' own tests expect of these files. Differences are listed in EXPLAINED or fail.
"""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from iot_ingest.sources.base import Window
from iot_ingest.sources.sitemap import parse_sitemap
from iot_ingest.sources.xml import UnsafeXml
from tests.support.conformance import corpus

# file: (kind, number of entries)
EXPECTED = {
    "atom.xml": ("urlset", 1),
    "do-not-visit.txt": ("urlset", 1),
    "extension/hebdenbridgetimes-articles-sitemap.xml": ("urlset", 74),
    "extension/pagemaps-sitemap.xml": ("urlset", 2),
    "extension/shinpaideshou-news-sitemap.xml": ("urlset", 3),
    "extension/sitemap-images.xml": ("urlset", 1),
    "extension/sitemap-links.xml": ("urlset", 3),
    "extension/sitemap-mobile.xml": ("urlset", 3),
    "extension/sitemap-news.xml": ("urlset", 2),
    "extension/sitemap-videos-tvshow.xml": ("urlset", 1),
    "extension/sitemap-videos.xml": ("urlset", 3),
    "sitemap-with-bom.txt": ("urlset", 2),
    "sitemap.badns.xml": ("urlset", 2),
    "sitemap.index.xml": ("sitemapindex", 15),
    "sitemap.ns.xml": ("urlset", 2),
    "sitemap.txt": ("urlset", 2),
    "sitemap.txt.gz": ("urlset", 5),
    "xmlSitemap.gz": ("urlset", 5),
}
EXPLAINED: dict[str, str] = {}  # none: every file reads as expected


def _independent_locs(data: bytes) -> list[str]:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.lstrip().startswith(b"<"):
        return [line.strip() for line in data.decode().splitlines() if line.strip()]
    root = etree.fromstring(data)
    if etree.QName(root).localname == "feed":
        return [root.xpath("string(//*[local-name()='entry']/*[local-name()='link'][1]/@href)")]
    locs = []
    for parent in root.xpath("/*/*[local-name()='url' or local-name()='sitemap']"):
        found = [str(loc.text).strip() for loc in parent.xpath("*[local-name()='loc']")]
        locs.extend(found or [str(parent.text).strip()])
    return locs


def _read(path: Path) -> tuple[str, list[str]] | str:
    try:
        kind, entries = parse_sitemap(path.read_bytes())
    except UnsafeXml as exc:
        return f"refused: {exc}"
    return kind, [e.loc for e in entries]


def test_crawler_commons_corpus_has_no_unexplained_difference() -> None:
    root = corpus("crawler-commons-sitemaps")
    files = sorted(p for p in root.rglob("*") if p.is_file())
    assert {p.relative_to(root).as_posix() for p in files} >= set(EXPECTED)
    differing = {}
    for path in files:
        name = path.relative_to(root).as_posix()
        got = _read(path)
        if isinstance(got, str):
            differing[name] = got
            continue
        kind, locs = got
        if (kind, len(locs)) != EXPECTED.get(name) or locs != _independent_locs(path.read_bytes()):
            differing[name] = f"{kind} {locs[:3]}..."
    assert {n: v for n, v in differing.items() if n not in EXPLAINED} == {}


def test_media_extensions_never_describe_the_page() -> None:
    root = corpus("crawler-commons-sitemaps")
    for name in ("extension/hebdenbridgetimes-articles-sitemap.xml", "extension/sitemap-images.xml",
                 "extension/sitemap-videos.xml", "extension/sitemap-videos-tvshow.xml"):  # fmt: skip
        _kind, entries = parse_sitemap((root / name).read_bytes())
        assert all(e.title is None and e.published is None for e in entries), name
    _kind, pages = parse_sitemap((root / "extension/hebdenbridgetimes-articles-sitemap.xml").read_bytes())
    assert pages[0].lastmod == datetime(2015, 5, 3, 17, 51, 50, tzinfo=UTC)


def test_news_entries_keep_their_title_and_publication_date() -> None:
    _kind, entries = parse_sitemap((corpus("crawler-commons-sitemaps") / "extension/sitemap-news.xml").read_bytes())
    assert [e.title for e in entries] == ["Companies A, B in Merger Talks", "Test empty news attributes"]
    # A date-only publication date is a UK calendar day, in the window of that day.
    assert Window(date(2025, 5, 27), date(2025, 5, 27)).holds(entries[1].published)
    assert not Window(date(2025, 5, 26), date(2025, 5, 26)).holds(entries[1].published)


MEDIA = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
        xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
  <url>
    <image:image><image:loc>https://www.example.org/photo.jpg</image:loc>
      <image:title>Students in the robotics lab</image:title></image:image>
    <loc>https://www.example.org/news/institute-of-technology-opens</loc>
    <video:video><video:title>Tour of the site</video:title>
      <video:publication_date>2019-01-01T10:00:00Z</video:publication_date></video:video>
    <lastmod>2021-07-01</lastmod>
  </url>
</urlset>"""


def test_a_photo_caption_is_not_the_headline_and_a_date_only_lastmod_is_its_uk_day() -> None:
    (entry,) = parse_sitemap(MEDIA)[1]
    assert entry.loc == "https://www.example.org/news/institute-of-technology-opens"
    assert entry.title is None and entry.published is None
    assert Window(date(2021, 7, 1), date(2021, 7, 1)).holds(entry.lastmod)
    assert not Window(date(2021, 6, 30), date(2021, 6, 30)).holds(entry.lastmod)


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbfhttps://www.example.org/a\nhttps://www.example.org/b\n",
        gzip.compress(b"https://www.example.org/a\r\nhttps://www.example.org/b", mtime=0),
    ],
)
def test_text_sitemaps_are_one_url_per_line(data: bytes) -> None:
    kind, entries = parse_sitemap(data)
    assert kind == "urlset" and [e.loc for e in entries] == ["https://www.example.org/a", "https://www.example.org/b"]


def test_a_malformed_index_keeps_bare_and_repeated_addresses() -> None:
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap>https://www.example.org/s1.xml</sitemap>
    <sitemap><loc>https://www.example.org/s2.xml</loc><loc>https://www.example.org/s3.xml</loc></sitemap>
    </sitemapindex>"""
    kind, entries = parse_sitemap(index)
    assert kind == "sitemapindex"
    assert [e.loc for e in entries] == [f"https://www.example.org/s{n}.xml" for n in (1, 2, 3)]
