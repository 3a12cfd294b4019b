"""Boilerplate in the warehouse: an agency footer becomes boilerplate once its publisher repeats it,
the articles that carry it are re-signed without it, and it never makes two releases copies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from iot_ingest.archive import Capture
from iot_ingest.config import Config
from iot_ingest.ingest import import_warcs
from tests.support.digest import rows, snapshot

pytestmark = pytest.mark.integration

FOOTER = (
    "Notes to editors: the Department for Education is responsible for children's services and "
    "education, including early years, schools, higher and further education policy, apprenticeships "
    "and wider skills in England. Journalists with enquiries should contact the press office, which "
    "is staffed from eight in the morning until six in the evening on weekdays, and follow the "
    "department on social media for the latest news, statements and speeches."
)
LAUNCH = [
    "A competition has opened for a second wave of Institutes of Technology, with up to 120 million "
    "pounds of capital funding available to the successful bids.",
    "Only areas of England without an existing institute may bid, so that the benefits of higher "
    "technical education are spread more widely, and the deadline for applications is 14 December 2020.",
]
WINNERS = [
    "Nine new Institutes of Technology will extend the national network to 21, the Skills Minister "
    "Nadhim Zahawi announced, sharing up to 120 million pounds between them.",
    "Solent University, the University of Salford and Blackpool and The Fylde College are among the "
    "leads of the new institutes, which will teach higher technical courses from 2023.",
]


def _page(url: str, title: str, published: str, paragraphs: list[str]) -> Capture:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f'<html><head><title>{title}</title><meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{published}"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )
    return Capture(
        url=url,
        fetched_at=datetime.fromisoformat(published).astimezone(UTC),
        status=200,
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        body=html.encode(),
    )


LAUNCH_PAGE = _page(
    "https://education.example.org/news/wave-two-competition",
    "Competition opens for new Institutes of Technology",
    "2020-10-08T09:00:00+01:00",
    [*LAUNCH, FOOTER],
)
LAUNCH_COPY = _page(
    "https://skills-news.example.com/2020/10/wave-two-competition-opens",
    "Competition opens for new Institutes of Technology",
    "2020-10-08T13:30:00+01:00",
    [*LAUNCH, FOOTER],
)
WINNERS_PAGE = _page(
    "https://education.example.org/news/nine-new-institutes",
    "Nine new Institutes of Technology",
    "2021-12-17T00:01:00+00:00",
    [*WINNERS, FOOTER],
)


def _copies(db: Path) -> list[tuple[str, str, str]]:
    return rows(
        db,
        """SELECT a.url, b.url, c.kind FROM article_copies c JOIN articles a ON a.article_id = c.article_a
           JOIN articles b ON b.article_id = c.article_b ORDER BY ALL""",
    )


def test_a_footer_that_becomes_boilerplate_re_signs_what_carries_it(
    tmp_path: Path, warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "later" / "iot.duckdb"
    import_warcs([warc_of([LAUNCH_PAGE, LAUNCH_COPY], name="first.warc.gz")], db, config)
    ((with_footer,),) = rows(db, "SELECT min(shingle_count) FROM article_signatures")
    assert [kind for *_, kind in _copies(db)] == ["verbatim"]

    import_warcs([warc_of([WINNERS_PAGE], name="second.warc.gz")], db, config)
    # The publisher now repeats the footer: it is boilerplate, and the release and its copy, loaded
    # in the earlier run, were signed again without it.
    counts = dict(
        rows(db, "SELECT a.url, s.shingle_count FROM article_signatures s JOIN articles a USING (article_id)")
    )
    assert counts[LAUNCH_PAGE.url] == counts[LAUNCH_COPY.url] < with_footer
    pairs = {(frozenset((a, b)), kind) for a, b, kind in _copies(db)}
    assert pairs == {(frozenset((LAUNCH_PAGE.url, LAUNCH_COPY.url)), "verbatim")}
    assert rows(db, "SELECT duplicate_of FROM articles WHERE url = ?", [WINNERS_PAGE.url]) == [(None,)]
    # No LSH candidate between the two releases: they share no band.
    shared = rows(
        db,
        """SELECT count(*) FROM article_bands x JOIN article_bands y USING (band_hash)
           JOIN articles a ON a.article_id = x.article_id JOIN articles b ON b.article_id = y.article_id
           WHERE a.url = ? AND b.url = ?""",
        [LAUNCH_PAGE.url, WINNERS_PAGE.url],
    )
    assert shared == [(0,)]

    # The same three pages at once, in the other order: the same warehouse.
    at_once = tmp_path / "at-once" / "iot.duckdb"
    import_warcs([warc_of([WINNERS_PAGE, LAUNCH_COPY, LAUNCH_PAGE], name="all.warc.gz")], at_once, config)
    tables = ("articles", "article_copies", "article_bands", "article_signatures", "article_paragraphs")
    assert snapshot(at_once, tables) == snapshot(db, tables)
