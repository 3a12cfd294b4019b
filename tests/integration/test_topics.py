"""Two topics in one warehouse: the built-in Institutes of Technology topic and the UK Dementia
Research Institute example (examples/topics), each scored on its own labelled corpus, the IoT results
the same as in a warehouse that follows IoT alone, per-topic views, feeds and notifications,
reprocessing for a topic added later, and a warehouse from before topics migrated without loss."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import feedparser  # type: ignore[import-untyped]
import pytest

from iot_ingest.config import Config, parse_config
from iot_ingest.ingest import import_warcs
from iot_ingest.ingest.reprocess import reprocess
from iot_ingest.notify.atom import write_feed
from iot_ingest.notify.service import record_events
from iot_ingest.query import run_query
from iot_ingest.warehouse import open_writer
from tests.support.digest import rows
from tests.support.event_corpus import TOPIC_CORPORA, EventCorpus, Scores, expected, observed, score

pytestmark = pytest.mark.integration

IOT = "institutes_of_technology"
UKDRI = "uk_dementia_research_institute"
UKDRI_FILE = TOPIC_CORPORA["topic-ukdri"]
IOT_CORPUS = EventCorpus.load("events")
UKDRI_CORPUS = EventCorpus.load("topic-ukdri")


def _config(*, notify: str = "") -> Config:
    return parse_config(
        f'[[topics]]\nname = "{IOT}"\n\n[[topics]]\nname = "{UKDRI}"\nfile = "{UKDRI_FILE}"\n{notify}', origin="test"
    )


@pytest.fixture
def both(tmp_path: Path, warc_of: Callable[..., Path]) -> tuple[Path, Path]:
    """Both corpora in one WARC, imported into a warehouse that follows both topics; and the WARC."""
    warc = warc_of([*IOT_CORPUS.captures(), *UKDRI_CORPUS.captures()], name="both.warc.gz")
    db = tmp_path / "both.duckdb"
    import_warcs([warc], db, _config())
    return db, warc


def test_each_topic_scores_on_its_corpus_in_one_warehouse(both: tuple[Path, Path]) -> None:
    db, _ = both
    assert score(observed(db, UKDRI_CORPUS, UKDRI), expected(UKDRI_CORPUS)) == Scores(1.0, 1.0, 1.0, 1.0, 1.0)
    # The IoT corpus's facts are not its labels here: the UK DRI corpus holds two IoT pages (its hard
    # negatives), which are IoT news and join their IoT announcements. The next test compares them.
    iot = score(observed(db, IOT_CORPUS, IOT), expected(IOT_CORPUS))
    assert (iot.announcements, iot.relevance, iot.copies, iot.dates) == (1.0, 1.0, 1.0, 1.0)
    # An article is relevant to a topic or not: no page of one corpus is news for the other topic.
    crossed = rows(
        db,
        """SELECT u.url, t.topic FROM article_topics t JOIN article_urls u USING (article_id)
           WHERE t.is_relevant AND u.url IN (SELECT unnest(?::VARCHAR[]))""",
        [[p["url"] for p in UKDRI_CORPUS.pages if p["event"]]],
    )
    assert {topic for _, topic in crossed} == {UKDRI}
    institutes = dict(rows(db, "SELECT topic, count(*) FROM institutes WHERE status <> 'proposed' GROUP BY 1"))
    assert institutes[UKDRI] == 7 and institutes[IOT] > 20


def test_the_iot_results_are_those_of_a_warehouse_following_iot_alone(
    both: tuple[Path, Path], tmp_path: Path, config: Config
) -> None:
    db, warc = both
    alone = tmp_path / "alone.duckdb"
    import_warcs([warc], alone, config)
    announcements = (
        "SELECT announcement_id, headline, announced_on, kind, institute_count, funding_gbp, original_article_id, "
        "article_count FROM announcements WHERE topic = 'institutes_of_technology' ORDER BY 1"
    )
    assert rows(db, announcements) == rows(alone, announcements)
    named = "SELECT announcement_id, institute, institute_id FROM announcement_institutes ORDER BY ALL"
    iot_ids = {a for (a, *_) in rows(alone, announcements)}
    assert [r for r in rows(db, named) if r[0] in iot_ids] == rows(alone, named)
    facts = (
        "SELECT article_id, is_relevant, facts FROM article_topics WHERE topic = 'institutes_of_technology' ORDER BY 1"
    )
    assert rows(db, facts) == rows(alone, facts)


def test_views_feeds_and_queries_take_a_topic(both: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = both
    config = _config()
    out = tmp_path / "out.csv"
    with out.open("w") as handle:
        run_query(
            db, config, "SELECT DISTINCT topic FROM v_announcements", output_format="csv", out=handle, topic=UKDRI
        )
    assert out.read_text().split() == ["topic", UKDRI]
    every = {t for (t,) in rows(db, "SELECT DISTINCT topic FROM v_announcements")}  # any client: all topics
    assert every == {IOT, UKDRI}

    feeds = {}
    for topic in (None, IOT, UKDRI):
        path = tmp_path / f"{topic or 'all'}.atom"
        write_feed(db, config, path, topic=topic)
        feeds[topic] = feedparser.parse(str(path))
    topics_of = {
        name: {t.term for e in feed.entries for t in e.tags if t.scheme == "urn:iot-ingest:topic"}
        for name, feed in feeds.items()
    }
    assert topics_of == {None: {IOT, UKDRI}, IOT: {IOT}, UKDRI: {UKDRI}}
    assert len(feeds[UKDRI].entries) == len(UKDRI_CORPUS.events)
    assert len(feeds[None].entries) == len(feeds[IOT].entries) + len(feeds[UKDRI].entries)
    assert feeds[UKDRI].feed.title == "UK Dementia Research Institute announcements"
    assert feeds[UKDRI].feed.id != feeds[None].feed.id
    with pytest.raises(Exception, match="not a configured topic"):
        write_feed(db, config, tmp_path / "x.atom", topic="nonexistent")


def test_a_target_is_told_of_the_topics_it_subscribes_to(both: tuple[Path, Path]) -> None:
    db, _ = both
    config = _config(
        notify=(
            '\n[[notify]]\nname = "dementia"\nurl = "json://127.0.0.1:9/hook"\n'
            'topics = ["uk_dementia_research_institute"]\n'
            '\n[[notify]]\nname = "everything"\nurl = "json://127.0.0.1:9/hook"\n'
        )
    )
    record_events(db, config)  # the first pass records what is there: a baseline, nothing sent
    con = duckdb.connect(str(db))
    try:
        con.execute("DELETE FROM notified_announcements")  # as if every announcement were new
    finally:
        con.close()
    record_events(db, config)
    queued = rows(
        db,
        "SELECT target, topic, count(*) FROM notifications WHERE event = 'announcement.created' "
        "GROUP BY ALL ORDER BY ALL",
    )
    by_target = {(target, topic): n for target, topic, n in queued}
    assert by_target[("dementia", UKDRI)] == len(UKDRI_CORPUS.events)
    assert ("dementia", IOT) not in by_target
    assert by_target[("everything", UKDRI)] == len(UKDRI_CORPUS.events) and by_target[("everything", IOT)] > 0


def test_reprocess_scores_the_raw_archive_for_a_topic_added_later(
    tmp_path: Path, warc_of: Callable[..., Path], config: Config
) -> None:
    warc = warc_of([*IOT_CORPUS.captures(), *UKDRI_CORPUS.captures()], name="both.warc.gz")
    db = tmp_path / "iot.duckdb"
    import_warcs([warc], db, config)  # the built-in topic alone
    iot_before = rows(db, "SELECT announcement_id, kind, institute_count FROM announcements ORDER BY 1")
    assert {t for (t,) in rows(db, "SELECT DISTINCT topic FROM announcements")} == {IOT}
    reprocess(db, _config())
    assert score(observed(db, UKDRI_CORPUS, UKDRI), expected(UKDRI_CORPUS)) == Scores(1.0, 1.0, 1.0, 1.0, 1.0)
    assert (
        rows(db, f"SELECT announcement_id, kind, institute_count FROM announcements WHERE topic = '{IOT}' ORDER BY 1")
        == iot_before
    )
    # And dropping the topic again drops its announcements.
    reprocess(db, config)
    assert {t for (t,) in rows(db, "SELECT DISTINCT topic FROM announcements")} == {IOT}


def test_a_warehouse_from_before_topics_migrates_without_loss(
    demo_warehouse: Path, tmp_path: Path, config: Config
) -> None:
    db = tmp_path / "old.duckdb"
    shutil.copy(demo_warehouse, db)
    con = duckdb.connect(str(db))
    try:
        before = con.execute(
            "SELECT article_id, is_relevant, facts, announcement_id FROM articles ORDER BY 1"
        ).fetchall()
        announcements = con.execute("SELECT * EXCLUDE (topic) FROM announcements ORDER BY 1").fetchall()
        # Back to schema 0014: no article_topics, no topic columns.
        con.execute("DROP TABLE article_topics")
        con.execute("DROP TABLE legacy_topic")
        con.execute("DROP INDEX notifications_status")  # DuckDB drops no column an index depends on
        for table in ("announcements", "institutes", "notifications"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN topic")
        con.execute("CREATE INDEX notifications_status ON notifications (status, target)")
        con.execute("DELETE FROM schema_migrations WHERE version = 15")
    finally:
        con.close()
    with open_writer(db, config):
        pass
    assert rows(db, "SELECT article_id, is_relevant, facts, announcement_id FROM article_topics ORDER BY 1") == before
    assert rows(db, "SELECT * EXCLUDE (topic) FROM announcements ORDER BY 1") == announcements
    assert {t for (t,) in rows(db, "SELECT DISTINCT topic FROM announcements")} == {IOT}
    assert rows(db, "SELECT count(*) FROM v_announcements") == [(len(announcements),)]


def _config_in(order: tuple[str, ...]) -> Config:
    files = {IOT: None, UKDRI: UKDRI_FILE}
    text = "".join(
        f'[[topics]]\nname = "{name}"\n' + (f'file = "{files[name]}"\n' if files[name] else "") for name in order
    )
    return parse_config(text, origin="test")


def _dangling(db: Path) -> list[tuple[object, ...]]:
    return rows(
        db,
        """SELECT 'article_topics', count(*) FROM article_topics
           WHERE announcement_id IS NOT NULL AND announcement_id NOT IN (SELECT announcement_id FROM announcements)
           UNION ALL
           SELECT 'articles', count(*) FROM articles
           WHERE announcement_id IS NOT NULL AND announcement_id NOT IN (SELECT announcement_id FROM announcements)
           UNION ALL
           SELECT 'institutes of another topic', count(*) FROM announcement_institutes ai
           JOIN announcements an USING (announcement_id) JOIN institutes i USING (institute_id)
           WHERE i.topic <> an.topic""",
    )


def test_the_order_of_the_topics_changes_no_id_and_loses_no_row(tmp_path: Path, warc_of: Callable[..., Path]) -> None:
    pages = [*IOT_CORPUS.captures(), *UKDRI_CORPUS.captures()]
    first, last = warc_of(pages[:-3], name="first.warc.gz"), warc_of(pages[-3:], name="last.warc.gz")
    db, reference = tmp_path / "reordered.duckdb", tmp_path / "reference.duckdb"
    import_warcs([first], db, _config_in((IOT, UKDRI)))
    import_warcs([last], db, _config_in((UKDRI, IOT)))
    import_warcs([first, last], reference, _config_in((IOT, UKDRI)))
    announcements = "SELECT announcement_id, topic, kind, institute_count, article_count FROM announcements ORDER BY 1"
    assert rows(db, announcements) == rows(reference, announcements)
    assert _dangling(db) == [("article_topics", 0), ("articles", 0), ("institutes of another topic", 0)]


def test_a_topic_no_longer_configured_is_gone_at_the_next_load(
    both: tuple[Path, Path], tmp_path: Path, config: Config, warc_of: Callable[..., Path]
) -> None:
    db, _ = both
    import_warcs([warc_of(IOT_CORPUS.captures()[:1], name="again.warc.gz")], db, config)  # IoT alone now
    assert {t for (t,) in rows(db, "SELECT DISTINCT topic FROM announcements")} == {IOT}
    assert {t for (t,) in rows(db, "SELECT DISTINCT topic FROM article_topics")} == {IOT}
    relevant_now = """SELECT count(*) FROM articles a WHERE a.is_relevant IS DISTINCT FROM coalesce(
                          (SELECT t.is_relevant FROM article_topics t WHERE t.article_id = a.article_id), false)"""
    assert rows(db, relevant_now) == [(0,)]  # "relevant to a followed topic": the UK DRI pages no longer are
    assert _dangling(db) == [("article_topics", 0), ("articles", 0), ("institutes of another topic", 0)]
    write_feed(db, config, tmp_path / "iot.atom")
    feed = feedparser.parse(str(tmp_path / "iot.atom"))
    assert {t.term for e in feed.entries for t in e.tags if t.scheme == "urn:iot-ingest:topic"} == {IOT}
