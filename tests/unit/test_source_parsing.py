"""Pure parts of the sources: feeds, safe XML, windows and the pre-filter."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from iot_ingest.sources import Discovered, Window, month_windows
from iot_ingest.sources.feed import parse_feed
from iot_ingest.sources.sitemap import parse_sitemap
from iot_ingest.sources.xml import UnsafeXml, parse_xml
from tests.support.topics import off_topic

NOW = datetime(2021, 12, 18, tzinfo=UTC)

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>FE Week</title><link>https://feweek.co.uk</link>
<item>
  <title>Nine more institutes of technology named</title>
  <link>https://feweek.co.uk/nine-more-institutes-of-technology-named/</link>
  <guid isPermaLink="false">https://feweek.co.uk/?p=101</guid>
  <pubDate>Fri, 17 Dec 2021 12:05:00 +0000</pubDate>
  <dc:creator>Reporter</dc:creator>
  <description>The network grows to 21.</description>
  <content:encoded><![CDATA[<p>The government has named nine more institutes of technology.</p>]]></content:encoded>
</item>
<item><title>No link here</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>GOV.UK</title>
<entry><id>tag:www.gov.uk,2005:/x/2021-12-17T00:01:00Z</id><updated>2021-12-17T00:01:00Z</updated>
<link rel="alternate" type="text/html" href="https://www.gov.uk/government/news/nine-new-institutes"/>
<title>Nine new Institutes of Technology</title><summary type="html">Up to &#163;120 million</summary></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.org/"><title>Example</title></channel>
<item rdf:about="https://example.org/iot-opening"><title>Institute of Technology opens</title>
<link>https://example.org/iot-opening</link><dc:date>2022-11-03T10:00:00+00:00</dc:date></item>
</rdf:RDF>"""


def test_rss_items_with_full_text_as_fallback() -> None:
    (item,) = parse_feed(RSS, fetched_at=NOW)
    assert item.url == "https://feweek.co.uk/nine-more-institutes-of-technology-named/"
    assert item.title == "Nine more institutes of technology named"
    assert item.published_at == datetime(2021, 12, 17, 12, 5, tzinfo=UTC)
    assert item.inline is not None
    assert b"nine more institutes of technology" in item.inline.body
    assert b"article:published_time" in item.inline.body


def test_atom_keys_on_the_link_not_the_changing_id() -> None:
    (item,) = parse_feed(ATOM, fetched_at=NOW)
    assert item.url == "https://www.gov.uk/government/news/nine-new-institutes"
    assert item.summary == "Up to £120 million"
    assert item.updated_at == datetime(2021, 12, 17, 0, 1, tzinfo=UTC)


def test_rdf_feed() -> None:
    (item,) = parse_feed(RDF, fetched_at=NOW)
    assert item.url == "https://example.org/iot-opening"
    assert item.published_at == datetime(2022, 11, 3, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b"<rss><channel><item><title>&lol2;</title></item></channel></rss>",
        b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss>&xxe;</rss>',
        b"this is not xml at all",
        b"<html><body>a page, not a feed</body></html>",
    ],
)
def test_hostile_or_wrong_xml_is_refused(data: bytes) -> None:
    with pytest.raises(UnsafeXml):
        parse_feed(data, fetched_at=NOW)


def test_gzipped_xml_is_read() -> None:
    import gzip

    assert parse_xml(gzip.compress(ATOM)).tag.endswith("feed")


def test_month_windows_cover_the_range_exactly() -> None:
    windows = month_windows(date(2017, 12, 15), date(2018, 2, 10))
    assert [(w.since, w.until) for w in windows] == [
        (date(2017, 12, 15), date(2017, 12, 31)),
        (date(2018, 1, 1), date(2018, 1, 31)),
        (date(2018, 2, 1), date(2018, 2, 10)),
    ]


def test_window_halves_and_bounds() -> None:
    window = Window(date(2019, 4, 1), date(2019, 4, 30))
    first, second = window.halves() or (None, None)
    assert first == Window(date(2019, 4, 1), date(2019, 4, 15))
    assert second == Window(date(2019, 4, 16), date(2019, 4, 30))
    assert Window(date(2019, 4, 10), date(2019, 4, 10)).halves() is None
    assert window.holds(datetime(2019, 4, 30, 23, 59, tzinfo=UTC))
    assert not window.holds(datetime(2019, 5, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("title", "summary", "kept"),
    [
        ("Nine new Institutes of Technology", None, True),
        ("Colleges to bid for funding", "", True),
        ("Five-axis machining cell opens in Derby", "A new cell for aerospace parts.", False),
        (None, None, True),  # nothing to judge by: fetched, and judged on its text
    ],
)
def test_prefilter(title: str | None, summary: str | None, kept: bool) -> None:
    item = Discovered(url="https://example.org/x", title=title, summary=summary)
    assert (off_topic(item) is None) is kept


def test_a_namespace_damaged_into_a_bare_name_is_read_not_raised() -> None:
    # A recovering parse of `xmlns="}http://..."` names elements `{}http://...}urlset`, which
    # lxml's own QName refuses with ValueError (found by the mutation test).
    damaged = (
        b'<?xml version="1.0"?><urlset xmlns="}http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://www.example.org/news/iot</loc></url></urlset>"
    )
    kind, entries = parse_sitemap(damaged)
    assert kind == "urlset"
    assert [entry.loc for entry in entries] == ["https://www.example.org/news/iot"]
