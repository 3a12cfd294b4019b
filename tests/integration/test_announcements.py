"""Announcement ids stay stable, and a merge that changes one leaves an alias behind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import Config
from iot_ingest.ingest import import_warcs
from tests.support.digest import rows

pytestmark = pytest.mark.integration


def test_an_official_source_arriving_later_takes_over_and_the_old_id_is_aliased(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    feweek = [c for c in captures if "feweek.co.uk" in c.url]
    govuk = [c for c in captures if "nine-new-institutes-of-technology" in c.url]
    import_warcs([warc_of(feweek, name="first.warc.gz")], db, config)
    ((first_id, first_original),) = rows(db, "SELECT announcement_id, original_article_id FROM announcements")
    import_warcs([warc_of(feweek, name="again.warc.gz")], db, config)
    assert rows(db, "SELECT announcement_id FROM announcements") == [(first_id,)], "stable across runs"
    import_warcs([warc_of(govuk, name="second.warc.gz")], db, config)
    ((second_id, original, count),) = rows(
        db, "SELECT announcement_id, original_article_id, article_count FROM announcements"
    )
    assert second_id != first_id and original != first_original and count == 2
    assert rows(db, "SELECT new_id FROM announcement_aliases WHERE old_id = ?", [first_id]) == [(second_id,)]
    # A saved query that kept the old id still finds the announcement through the alias.
    found = rows(
        db,
        """SELECT a.headline FROM announcements a
           JOIN announcement_aliases x ON x.new_id = a.announcement_id WHERE x.old_id = ?""",
        [first_id],
    )
    assert found == [("Nine new Institutes of Technology to boost higher technical skills",)]


LINCOLNSHIRE_OPENING = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Lincolnshire Institute of Technology opens its doors | Lincoln College</title>
<meta name="description" content="Students have started at the new Lincolnshire Institute of Technology in Lincoln.">
<meta property="og:type" content="article">
<meta property="og:title" content="Lincolnshire Institute of Technology opens its doors">
<meta property="og:site_name" content="Lincoln College">
<meta property="og:url" content="https://www.lincolncollege.ac.uk/news/lincolnshire-institute-of-technology-opens/">
<link rel="canonical" href="https://www.lincolncollege.ac.uk/news/lincolnshire-institute-of-technology-opens/">
<meta property="article:published_time" content="2022-11-04T11:00:00+00:00">
</head>
<body>
<header class="site-header"><a href="/">Lincoln College</a>
<nav><ul><li><a href="/courses/">Courses</a></li><li><a href="/news/">News</a></li></ul></nav></header>
<main>
<article class="news-post">
<h1>Lincolnshire Institute of Technology opens its doors</h1>
<p class="news-post__date">4 November 2022</p>
<div class="news-post__body">
<p>The Lincolnshire Institute of Technology has opened its new building on the Lincoln College campus in Lincoln,
with the first students starting higher technical courses in engineering, digital and agri-food technology.</p>
<p>Lincoln College leads the Institute in partnership with the University of Lincoln and local employers,
among them Siemens Energy, which builds industrial gas turbines in the city.</p>
<p>The Institute was awarded £12 million of government capital funding for the building and its equipment,
from robotics cells to a digital design studio.</p>
<p>Courses at Level 4 and Level 5 are open to school leavers and to adults already in work who want to retrain
or move into a more senior technical role.</p>
<p>Institutes of Technology bring together colleges, universities and employers to offer the higher technical
education that local industry says it needs.</p>
</div>
</article>
</main>
<footer class="site-footer"><p>Lincoln College, Monks Road, Lincoln LN2 5HQ</p></footer>
</body>
</html>
"""


def test_two_openings_a_day_apart_are_two_announcements(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    lincolnshire = Capture(
        url="https://www.lincolncollege.ac.uk/news/lincolnshire-institute-of-technology-opens/",
        fetched_at=datetime(2022, 11, 4, 12, 0, tzinfo=UTC),
        status=200,
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=LINCOLNSHIRE_OPENING.encode(),
    )
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of([*captures, lincolnshire], name="openings.warc.gz")], db, config)
    # Both are relevant and both say one institute: the hazard is real.
    facts = rows(
        db,
        """SELECT site, TRY_CAST(facts ->> 'institute_count' AS INTEGER), TRY_CAST(facts ->> 'funding_gbp' AS BIGINT)
           FROM articles WHERE is_relevant AND published_at >= '2022-11-01' ORDER BY published_at""",
    )
    assert facts == [("swindon.ac.uk", 1, 21_000_000), ("lincolncollege.ac.uk", 1, 12_000_000)]
    openings = rows(
        db,
        """SELECT a.headline, a.announced_on, a.funding_gbp, a.article_count, list(i.institute ORDER BY i.institute)
           FROM announcements a LEFT JOIN announcement_institutes i USING (announcement_id)
           WHERE a.announced_on >= '2022-11-01' GROUP BY ALL ORDER BY a.announced_on""",
    )
    assert openings == [
        ("Swindon and Wiltshire Institute of Technology opens its doors", date(2022, 11, 3), 21_000_000, 1,
         ["Swindon and Wiltshire Institute of Technology"]),
        ("Lincolnshire Institute of Technology opens its doors", date(2022, 11, 4), 12_000_000, 1,
         ["Lincolnshire Institute of Technology"]),  # the University of Lincoln's: one institute
    ]  # fmt: skip
    opened = rows(db, "SELECT institute_id, opened_on FROM institutes WHERE opened_on IS NOT NULL ORDER BY 1")
    assert opened == [("lincoln", date(2022, 11, 4)), ("swindon", date(2022, 11, 3))]
    # The rest of the demo is as it was: the 2019 coverage and the 2021 winners one announcement each.
    counts = rows(db, "SELECT announced_on, article_count FROM announcements WHERE announced_on < '2022-01-01'")
    assert sorted(counts) == [(date(2019, 4, 10), 5), (date(2020, 10, 8), 1), (date(2021, 12, 17), 3)]
