"""Body selection on modern layouts, the self-check's paths, dates printed as text, and a page tree
that no step modifies. Pages are the hand-written ones in tests/golden/generic/ plus small inline
pages for single rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from iot_ingest.extract import ADAPTERS, extract_article
from iot_ingest.extract.furniture import is_furniture_name
from iot_ingest.extract.page import parse_page

GENERIC = Path(__file__).parents[1] / "golden" / "generic"


def _golden(name: str) -> tuple[str, bytes]:
    case = json.loads((GENERIC / f"{name}.expected.json").read_text("utf-8"))
    return case["url"], (GENERIC / f"{name}.html").read_bytes()


def _page(body: str, head: str = "", url: str = "https://news.example/story") -> tuple[str, bytes]:
    return url, f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def test_split_text_blocks_are_one_body_without_the_modules_between_them() -> None:
    article = extract_article(*_golden("split-text-blocks"))
    paragraphs = article.body_text.split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("Nine more institutes of technology will open")
    assert paragraphs[-1].startswith("Each institute is a partnership")
    for furniture in ("Related", "Skills bill", "morning briefing", "about time", "Most read", "Advertisement"):
        assert furniture not in article.body_text


def test_a_body_only_in_json_ld_is_taken_from_there() -> None:
    article = extract_article(*_golden("json-ld-only-body"))
    assert article.extraction_path == "json-ld"
    assert article.body_text.startswith("The Swindon and Wiltshire Institute of Technology has officially opened")
    assert "Loading article" not in article.body_text
    assert len(article.body_text.split("\n\n")) == 5


def test_a_truncated_json_ld_body_does_not_replace_the_page_text() -> None:
    prose = [
        f"Paragraph {n} of the article says that the college will open new workshops for engineering, "
        "digital and construction courses with local employers next year."
        for n in range(1, 7)
    ]
    teaser = json.dumps(
        {"@type": "NewsArticle", "headline": "Workshops", "articleBody": " ".join(prose[:3])[:400] + "…"}
    )
    url, html = _page(
        "<h1>Workshops</h1><div class='story'>" + "".join(f"<p>{p}</p>" for p in prose) + "</div>",
        f"<script type='application/ld+json'>{teaser}</script>",
    )
    article = extract_article(url, html)
    assert article.extraction_path == "dom"
    assert article.body_text.split("\n\n") == prose


def test_json_ld_body_with_escaped_markup_is_read_as_text() -> None:
    body = "&lt;p&gt;" + "The institute opened its doors to the first students on Monday morning. " * 8 + "&lt;/p&gt;"
    ld = json.dumps({"@type": "NewsArticle", "headline": "Opened", "articleBody": body})
    url, html = _page("<h1>Opened</h1><p>Loading…</p>", f"<script type='application/ld+json'>{ld}</script>")
    article = extract_article(url, html)
    assert article.extraction_path == "json-ld"
    assert "<p>" not in article.body_text and "&lt;" not in article.body_text
    assert article.body_text.startswith("The institute opened its doors")


def test_the_standfirst_outside_the_body_leads_it_and_the_byline_stays_out() -> None:
    article = extract_article(*_golden("standfirst-outside-body"))
    assert article.extraction_path is not None and article.extraction_path.endswith("+standfirst")
    assert article.body_text.startswith("Only areas of England without an institute of technology can bid")
    assert article.body_text.count("Only areas of England") == 1
    for furniture in ("Further education", "Priya Natarajan", "8 October 2020", "Popular", "LinkedIn"):
        assert furniture not in article.body_text.split("\n\n")


def test_every_live_blog_entry_is_in_the_body() -> None:
    article = extract_article(*_golden("live-blog"))
    for words in (
        "Siemens, Nissan and Microsoft",
        "Barking and Dagenham College",
        "Queen Mary",
        "Damian Hinds",
        "Good morning",
    ):
        assert words in article.body_text
    assert "Budget 2019 live" not in article.body_text
    assert "independent news site" not in article.body_text


def test_a_date_printed_under_the_headline_counts_but_not_the_sidebar_or_footer() -> None:
    article = extract_article(*_golden("text-date-near-headline"))
    assert article.published_at == datetime(2019, 4, 9, 23, tzinfo=UTC)  # 10 April 2019, UK time


def test_a_plain_date_above_the_headline_counts() -> None:
    url, html = _page(
        "<div class='story-head'><span>9 October 2020</span><h1>Bids open</h1></div>"
        "<div><p>The competition for the second wave opened today, with a deadline in December for bids.</p></div>"
    )
    assert extract_article(url, html).published_at == datetime(2020, 10, 8, 23, tzinfo=UTC)


def test_a_date_inside_the_prose_is_an_event_not_the_publication() -> None:
    url, html = _page(
        "<h1>Bids open</h1><div><p>On 9 October 2020 the minister said that the competition for the "
        "second wave of institutes of technology would open for bids from colleges and universities.</p></div>"
    )
    assert extract_article(url, html).published_at is None


def test_a_day_first_date_in_the_url_counts_and_a_listing_date_does_not() -> None:
    article = extract_article(*_golden("url-date-day-first"))
    assert article.published_at == datetime(2023, 12, 20, tzinfo=UTC)


def test_year_month_day_paths_in_urls_count() -> None:
    body = "<h1>Opened</h1><p>The institute opened its doors to the first students on Monday morning.</p>"
    for url, day in (
        ("https://news.example/2019/04/10/institutes-named", 10),
        ("https://news.example/n1/2019/0411/c1001-1.html", 11),
    ):
        found = extract_article(*_page(body, url=url)).published_at
        assert found is not None and found.astimezone(UTC).day == day - 1  # midnight UK is 23:00 UTC in April


def test_no_step_modifies_the_page_tree() -> None:
    for name in ("split-text-blocks", "standfirst-outside-body", "text-date-near-headline"):
        url, html = _golden(name)
        page = parse_page(url, html.decode("utf-8"))
        before = etree.tostring(page.tree)
        for adapter in ADAPTERS:
            if adapter.matches(page):
                adapter.extract(page)
                break
        assert etree.tostring(page.tree) == before, name


def test_dates_do_not_depend_on_the_order_steps_run_in() -> None:
    url, html = _golden("text-date-near-headline")
    generic = next(adapter for adapter in ADAPTERS if adapter.name == "generic")
    page = parse_page(url, html.decode("utf-8"))
    first = generic.extract(page)
    again = generic.extract(page)
    assert first == again


def test_furniture_names_give_way_to_a_named_article_body() -> None:
    assert is_furniture_name("related-articles")
    assert is_furniture_name("sidebar widget")
    assert not is_furniture_name("sidebar-grid__content article__content")
    assert not is_furniture_name("print")
    assert not is_furniture_name("article-body")


def test_a_body_only_in_a_hydration_payload_is_read_from_it() -> None:
    paragraphs = [
        "York College leads one of the first twelve institutes of technology, with employers from across the region.",
        "The institute will teach higher technical courses in engineering, digital and construction from 2020.",
        "Its partners include local manufacturers, who helped to design the courses and will offer placements.",
        "The college said the funding would pay for new workshops and equipment on its Sim Balk Lane campus.",
        "Education Secretary Damian Hinds said the institutes would give people the skills that employers need.",
        "The twelve institutes share £170 million of government funding, announced on 10 April 2019.",
    ]
    markup = "".join(f"<p>{p}</p>" for p in paragraphs)
    payload = json.dumps({"props": {"pageProps": {"article": {"headline": "York", "html": markup}}}})
    url, html = _page(
        "<div id='__next'><h1>York College to lead institute</h1><p>Loading…</p></div>",
        f"<script id='__NEXT_DATA__' type='application/json'>{payload}</script>",
    )
    article = extract_article(url, html)
    assert article.extraction_path == "payload"
    assert article.body_text.split("\n\n") == paragraphs


def test_a_metadata_title_with_the_site_name_appended_gives_way_to_the_headline() -> None:
    head = "<meta property='og:title' content='Twelve institutes named &amp; funded | Skills Daily'>"
    url, html = _page("<h1>Twelve institutes named &amp; funded</h1><p>The first twelve were named today.</p>", head)
    assert extract_article(url, html).title == "Twelve institutes named & funded"


def test_escaped_entities_in_a_json_ld_headline_are_read_as_text() -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Lords told: &quot;up to &pound;300m&quot;"})
    url, html = _page("<p>Text.</p>", f"<script type='application/ld+json'>{ld}</script>")
    assert extract_article(url, html).title == 'Lords told: "up to £300m"'


def test_an_article_split_over_blocks_of_different_shapes_is_widened_by_the_second_opinion() -> None:
    # The intro and step 1 sit in the headline's block, steps 2 and 3 in sections of other names:
    # the densest block holds a third of the post, and Resiliparse's reading of the page shows it.
    article = extract_article(*_golden("split-sibling-shapes"))
    assert article.extraction_path is not None and "+wide" in article.extraction_path
    assert article.body_text.startswith("Colleges thinking about the second wave")
    for step in ("Step 1: the prospectus", "Step 2: the shortlist", "Step 3: the winners"):
        assert step in article.body_text
    for furniture in ("Advertisement", "Watch: institutes explained", "Popular posts", "Ofsted"):
        assert furniture not in article.body_text


def test_a_post_that_is_mostly_lists_keeps_its_lists_and_drops_its_filing_labels() -> None:
    article = extract_article(*_golden("list-heavy-post"))
    paragraphs = article.body_text.split("\n\n")
    assert sum("led by" in p for p in paragraphs) == 21
    assert paragraphs[0].startswith("With the second wave named this week")
    assert "Filed under" not in article.body_text and "Archives" not in article.body_text


def test_a_gallery_of_captions_is_not_the_article() -> None:
    article = extract_article(*_golden("photo-gallery"))
    assert article.body_text.startswith("The Swindon and Wiltshire Institute of Technology has opened")
    assert len(article.body_text.split("\n\n")) == 3
    assert "robotic arm" not in article.body_text and "atrium" not in article.body_text


def test_reader_comments_are_recognised_by_their_shape_not_their_names() -> None:
    article = extract_article(*_golden("reader-comments"))
    assert len(article.body_text.split("\n\n")) == 4
    for comment in ("evening courses", "apprentices", "smaller firms", "3 May 2019", "4 responses"):
        assert comment not in article.body_text


def test_a_live_blog_is_a_thread_of_dated_entries_with_no_article_before_it_and_is_kept() -> None:
    article = extract_article(*_golden("live-blog"))
    assert "Good morning" in article.body_text and "Siemens, Nissan and Microsoft" in article.body_text


def test_the_cross_check_leaves_a_complete_body_alone() -> None:
    prose = "".join(
        f"<p>Paragraph {n} says the institute will teach higher technical courses with employers in the region.</p>"
        for n in range(8)
    )
    url, html = _page(f"<h1>Courses</h1><div class='story'>{prose}</div><div class='more'><p>Sign up today.</p></div>")
    assert extract_article(url, html).extraction_path == "dom"


def test_prose_after_the_body_in_another_article_is_not_added() -> None:
    # Resiliparse reads the next story as content; widening to take it in would cross an <article>.
    ours = "".join(
        f"<p>Our story's paragraph {n} is about the new institute and its employer partners.</p>" for n in range(3)
    )
    theirs = "".join(
        f"<p>The next story's paragraph {n} is about a different college and a different building project entirely.</p>"
        for n in range(6)
    )
    url, html = _page(
        f"<main><article><h1>Ours</h1><div class='a'>{ours}</div></article>"
        f"<article><h1>Next</h1><div class='b'>{theirs}</div></article></main>",
        "<meta property='og:title' content='Ours'>",
    )
    article = extract_article(url, html)
    assert "Our story's paragraph 0" in article.body_text
    assert "next story" not in article.body_text
