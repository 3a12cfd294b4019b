"""Publication dates as ranked candidates: the page's own date wins over sidebars, comments and
lists of other articles, and a date after the fetch never counts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from iot_ingest.extract import extract_article

FETCHED = datetime(2019, 4, 12, 9, 0, tzinfo=UTC)
TEN_APRIL_UK = datetime(2019, 4, 9, 23, 0, tzinfo=UTC)  # midnight BST
BODY = "<p>" + "Twelve Institutes of Technology will share £170 million, the government said today. " * 4 + "</p>"


def _published(html: str, url: str = "https://www.example.org/news/story") -> datetime | None:
    return extract_article(url, html.encode(), "text/html; charset=utf-8", fetched_at=FETCHED).published_at


@pytest.mark.parametrize(
    "head",
    [
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "headLine": "x", "datePublished": "2019-04-10"}</script>',
        '<meta property="article:published_time" content="2019-04-10">',
        '<meta name="govuk:first-published-at" content="2019-04-10T00:00:00+01:00">',
    ],
)
def test_metadata_dates(head: str) -> None:
    assert _published(f"<html><head>{head}</head><body><article>{BODY}</article></body></html>") == TEN_APRIL_UK


@pytest.mark.parametrize("line", ["Published 10 April 2019", "Posted on April 10, 2019", "Posted on: 10th Apr 2019"])
def test_visible_dateline(line: str) -> None:
    assert _published(f"<html><body><article><p class='x'>{line}</p>{BODY}</article></body></html>") == TEN_APRIL_UK


def test_time_element_in_the_article() -> None:
    html = f'<html><body><article><time datetime="2019-04-10">10 April</time>{BODY}</article></body></html>'
    assert _published(html) == TEN_APRIL_UK


def test_dates_in_lists_of_other_articles_and_comments_do_not_count() -> None:
    # Only the URL carries the page's own date; every <time> belongs to something else.
    html = (
        "<html><body>"
        '<div class="most-recent"><time datetime="2019-04-11">11 April 2019</time></div>'
        '<aside><time datetime="2019-04-11T08:00:00Z">11 April</time></aside>'
        f'<article>{BODY}<div class="related-posts"><time datetime="2019-04-11">11 April</time></div>'
        '<div class="comments"><p>Posted on 11 April 2019</p>'
        '<time datetime="2019-04-11T20:00:00Z">11 April</time></div>'
        "</article></body></html>"
    )
    assert _published(html, "https://www.example.org/2019/04/10/story/") == TEN_APRIL_UK


def test_a_future_date_never_counts() -> None:
    html = f'<html><head><meta property="article:published_time" content="2019-09-01"></head><body>{BODY}</body></html>'
    assert _published(html, "https://www.example.org/2019/04/10/story/") == TEN_APRIL_UK


def test_the_url_date_is_the_last_resort() -> None:
    assert _published(f"<html><body>{BODY}</body></html>", "https://www.example.org/2019/04/10/story/") == TEN_APRIL_UK
    assert _published(f"<html><body>{BODY}</body></html>") is None


@pytest.mark.parametrize(
    "ld",
    [
        # @context as an object, the article inside @graph
        '{"@context": {"@vocab": "https://schema.org/"}, "@graph": [{"@type": "WebSite", "name": "x"},'
        ' {"@type": "NewsArticle", "datePublished": "2019-04-10"}]}',
        # @context as an array, a prefixed type given as a list
        '{"@context": ["https://schema.org", {"sc": "https://schema.org/"}], "@type": ["sc:BlogPosting"],'
        ' "datePublished": "2019-04-10"}',
        # an array of objects, a SocialMediaPosting and a LiveBlogPosting
        '[{"@type": "Organization", "name": "x"}, {"@type": "SocialMediaPosting", "datePublished": "2019-04-10"}]',
        '{"@type": "LiveBlogPosting", "datePublished": "2019-04-10", "dateModified": "2019-04-11"}',
        '{"@type": "ReportageNewsArticle", "datePublished": "2019-04-10"}',
        # wrapped in CDATA by a template
        '//<![CDATA[\n{"@type": "Article", "datePublished": "2019-04-10"}\n//]]>',
    ],
)
def test_json_ld_is_read_in_every_shape(ld: str) -> None:
    head = f'<script type="application/ld+json">{ld}</script>'
    assert _published(f"<html><head>{head}</head><body><article>{BODY}</article></body></html>") == TEN_APRIL_UK


def test_json_ld_date_of_the_page_itself_wins_over_open_graph_and_other_posts() -> None:
    ld = (
        '{"@graph": [{"@type": "BlogPosting", "url": "https://www.example.org/news/other",'
        ' "datePublished": "2018-01-01"}, {"@type": "BlogPosting", "url": "https://www.example.org/news/story",'
        ' "datePublished": "2019-04-10"}]}'
    )
    head = (
        f'<script type="application/ld+json">{ld}</script><meta property="article:published_time" content="2019-04-11">'
    )
    assert _published(f"<html><head>{head}</head><body><article>{BODY}</article></body></html>") == TEN_APRIL_UK


@pytest.mark.parametrize(
    "marked",
    [
        '<time class="updated" datetime="2019-04-11">11 April 2019</time>',
        '<time itemprop="dateModified" datetime="2019-04-11">11 April 2019</time>',
        "<p>Updated 11 April 2019</p>",
    ],
)
def test_a_modified_date_is_never_the_published_one(marked: str) -> None:
    html = f"<html><body><article><h1>x</h1>{marked}{BODY}</article></body></html>"
    assert _published(html, url="https://www.example.org/2019/04/10/story") == TEN_APRIL_UK


def test_a_date_printed_as_a_segment_of_the_title_is_a_late_candidate() -> None:
    head = "<title>Twelve institutes named | Europe | DW | 10.04.2019</title>"
    assert _published(f"<html><head>{head}</head><body><article>{BODY}</article></body></html>") == TEN_APRIL_UK
    meta = '<meta property="article:published_time" content="2019-04-11T12:00:00+00:00">'
    later = _published(f"<html><head>{head}{meta}</head><body><article>{BODY}</article></body></html>")
    assert later == datetime(2019, 4, 11, 12, 0, tzinfo=UTC)  # metadata comes first
