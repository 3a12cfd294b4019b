"""Text an outlet quotes from a release in two of its own stories stays the release's: not
boilerplate, so the release, its copies and a trimmed copy keep their signatures and relations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import Config
from iot_ingest.demo import sample_pages
from iot_ingest.ingest import import_warcs
from tests.support.digest import rows

pytestmark = pytest.mark.integration

FOLLOW_UP_URL = "https://www.fenews.co.uk/education/institutes-of-technology-what-happens-next/"


def _follow_up(dated: str) -> Capture:
    """FE News, a week later: two paragraphs of its own, then the release's lead and list of 12 again
    (the LEP Network's trimmed copy of the release is exactly that lead and list), dated `dated`."""
    page = sample_pages().joinpath("lepnetwork/iot-trimmed.html").read_text("utf-8")
    html = (
        page.replace(
            '<meta property="og:site_name" content="The LEP Network">',
            f'<meta property="og:site_name" content="FE News"><link rel="canonical" href="{FOLLOW_UP_URL}">',
        )
        .replace("First 12 Institutes of Technology announced", "Institutes of Technology: what happens next")
        .replace('<time datetime="2019-04-10">', f'<time datetime="{dated}">')
        .replace(
            '<div class="news-item__body">',
            '<div class="news-item__body"><p>A week on from the announcement, colleges in the first wave of '
            "institutes of technology are recruiting staff and ordering equipment for their new buildings, "
            "several of them told FE News this week.</p><p>The rest of this article recaps what the "
            "government said when the institutes were announced, for readers who missed it at the time.</p>",
        )
    )
    assert "what happens next" in html and "told FE News" in html, "the sample page changed: adapt the edit"
    return Capture(
        url=FOLLOW_UP_URL,
        fetched_at=datetime(2019, 4, 17, 9, 0, tzinfo=UTC),
        status=200,
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=html.encode(),
    )


def _first_wave(db: Path) -> list[tuple[str, str | None, str | None, int | None]]:
    return rows(
        db,
        """SELECT a.url, o.publisher, a.copy_kind, s.shingle_count
           FROM articles a LEFT JOIN articles o ON o.article_id = a.duplicate_of
           LEFT JOIN article_signatures s ON s.article_id = a.article_id
           WHERE a.published_at < '2019-04-12' AND a.is_relevant AND a.url <> ? ORDER BY a.url""",
        [FOLLOW_UP_URL.rstrip("/")],
    )


# A week later; or, as the page's date says only the day, the same instant as the LEP Network's copy.
@pytest.mark.parametrize("dated", ["2019-04-17", "2019-04-10"])
def test_an_outlet_quoting_a_release_twice_leaves_the_release_and_its_copies_alone(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config, dated: str
) -> None:
    without, with_follow_up = tmp_path / "without" / "iot.duckdb", tmp_path / "with" / "iot.duckdb"
    import_warcs([warc_of(captures, name="demo.warc.gz")], without, config)
    import_warcs([warc_of([*captures, _follow_up(dated)], name="demo-and-follow-up.warc.gz")], with_follow_up, config)

    assert rows(with_follow_up, "SELECT publisher FROM articles WHERE url LIKE '%what-happens-next%'") == [("FE News",)]
    first_wave = _first_wave(without)
    lep = [row for row in first_wave if "lepnetwork" in row[0]]
    assert [row[1:3] for row in lep] == [("GOV.UK", "trimmed")], "the demo's trimmed copy, before any quoting"
    # The follow-up changes nothing about the release, its copies or their signatures.
    assert _first_wave(with_follow_up) == first_wave
