"""Feed dates keep their time in every written form; an unknown zone keeps it too, flagged."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import formatdate

import pytest

from iot_ingest.sources.feed import parse_feed
from iot_ingest.sources.feeddates import parse_feed_date


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sat, 01 Jul 2023 10:00:00 GMT", utc(2023, 7, 1, 10)),
        ("Sat, 01 Jul 2023 10:00:00 -0000", utc(2023, 7, 1, 10)),
        ("Sat, 01 Jul 2023 10:00:00 +0100", utc(2023, 7, 1, 9)),
        ("Sat, 01 Jul 2023 10:00:00 MET", utc(2023, 7, 1, 9)),
        ("Sat, 01 Jul 2023 10:00:00 ET", utc(2023, 7, 1, 15)),
        ("Sat, 01 Jul 2023 10:00:00 EDT", utc(2023, 7, 1, 14)),
        ("Sat, 01 Jul 2023 10:00:00 Etc/GMT", utc(2023, 7, 1, 10)),
        ("Sat, 01 Jul 2023 10:00:00 Etc/GMT-2", utc(2023, 7, 1, 8)),
        ("Sat, 01 Jul 2023 10:00:00 -01:01", utc(2023, 7, 1, 11, 1)),
        ("Sat,, 01 Jul 2023 10:00:00 GMT", utc(2023, 7, 1, 10)),
        ("Sat, 01 Jul 2023, 10:00:00 GMT", utc(2023, 7, 1, 10)),
        ("Sat, 1 Jul 2023 10:00 GMT", utc(2023, 7, 1, 10)),
        ("01 Jul 23 10:00:00 Z", utc(2023, 7, 1, 10)),
        ("Sat, 01 Jul 2023 10:00:00 A", utc(2023, 7, 1, 11)),
        ("Sat, 01 July 2023 10:00:00 UT", utc(2023, 7, 1, 10)),
        ("Sat, 01 Jul 2023 10:00:00 +0200 (CEST)", utc(2023, 7, 1, 8)),
        ("Sat, 01 Jul 2023 10:00:00 UTC+01:00", utc(2023, 7, 1, 9)),
        ("Sat, 01 Jul 2023 10:00:00 Europe/London", utc(2023, 7, 1, 9)),
        ("Sat, 01 Dec 2023 10:00:00 Europe/London", utc(2023, 12, 1, 10)),
        ("Sat Jul  1 10:00:00 EDT 2023", utc(2023, 7, 1, 14)),
        ("2023-07-01T10:00:00+01:00", utc(2023, 7, 1, 9)),
        ("2023-07-01T10:00:00.250Z", utc(2023, 7, 1, 10)),
        ("2023-07-01T10:00Z", utc(2023, 7, 1, 10)),
        ("20230701T100000Z", utc(2023, 7, 1, 10)),
        # A date alone is a UK calendar day: it starts at UK midnight.
        ("2023-07-01", utc(2023, 6, 30, 23)),
        ("Sat, 01 Jul 2023", utc(2023, 6, 30, 23)),
    ],
)
def test_every_written_form_keeps_its_time(text: str, expected: datetime) -> None:
    parsed = parse_feed_date(text)
    assert parsed is not None and parsed.when == expected and parsed.zone_known


def test_what_pythons_own_formatdate_writes() -> None:
    moment = utc(2023, 7, 1, 10, 0, 0)
    parsed = parse_feed_date(formatdate(moment.timestamp()))  # "..., 01 Jul 2023 10:00:00 -0000"
    assert parsed is not None and parsed.when == moment


@pytest.mark.parametrize(
    "text",
    ["Sat, 01 Jul 2023 10:00:00 XYZT", "Sat, 01 Jul 2023 10:00:00", "2023-07-01T10:00:00", "Sat Jul  1 10:00:00 2023"],
)
def test_an_unknown_or_missing_zone_keeps_the_time_as_utc_and_says_so(text: str) -> None:
    parsed = parse_feed_date(text)
    assert parsed is not None and parsed.when == utc(2023, 7, 1, 10)
    assert not parsed.zone_known


@pytest.mark.parametrize("text", ["", "yesterday", "Sat, 31 Feb 2023 10:00:00 GMT"])
def test_no_date_is_none(text: str) -> None:
    assert parse_feed_date(text) is None


NOW = utc(2024, 1, 1)


def test_a_story_at_ten_on_1_july_stays_on_1_july() -> None:
    rss = b"""<rss version="2.0"><channel><item><title>T Level results</title>
    <link>https://www.example.org/a</link><pubDate>Sat, 01 Jul 2023 10:00:00 -0000</pubDate>
    </item></channel></rss>"""
    (item,) = parse_feed(rss, fetched_at=NOW)
    assert item.published_at == utc(2023, 7, 1, 10)


def test_dcterms_modified_is_the_update() -> None:
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
      xmlns:dcterms="http://purl.org/dc/terms/">
      <item rdf:about="https://www.example.org/b"><title>Institutes of Technology</title>
      <dcterms:issued>2023-07-01T10:00:00Z</dcterms:issued><dcterms:modified>2023-07-03T09:30:00Z</dcterms:modified>
      </item></rdf:RDF>"""
    (item,) = parse_feed(rdf, fetched_at=NOW)
    assert item.published_at == utc(2023, 7, 1, 10)
    assert item.updated_at == utc(2023, 7, 3, 9, 30)


def test_an_item_with_only_a_permalink_guid_is_kept() -> None:
    rss = b"""<rss version="2.0"><channel>
    <item><title>a</title><guid>https://www.example.org/permalink</guid></item>
    <item><title>b</title><guid isPermaLink="false">urn:uuid:1234</guid></item>
    </channel></rss>"""
    (item,) = parse_feed(rss, fetched_at=NOW)
    assert item.url == "https://www.example.org/permalink"


def test_an_atom_enclosure_is_not_the_entrys_link() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>a</title>
    <link rel="enclosure">https://cdn.example.org/podcast.mp3</link>
    <link rel="related" href="https://www.example.org/related"/>
    <link href="https://www.example.org/story"/>
    <updated>2023-07-01T10:00:00Z</updated></entry></feed>"""
    (item,) = parse_feed(atom, fetched_at=NOW)
    assert item.url == "https://www.example.org/story"


def test_relative_links_resolve_against_xml_base_then_the_feed() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://www.example.org/news/">
    <entry><link href="story-1"/></entry></feed>"""
    rss = b"""<rss version="2.0"><channel><item><link>/story-2</link></item></channel></rss>"""
    assert parse_feed(atom, fetched_at=NOW)[0].url == "https://www.example.org/news/story-1"
    (item,) = parse_feed(rss, fetched_at=NOW, base_url="https://feeds.example.org/rss.xml")
    assert item.url == "https://feeds.example.org/story-2"
