"""import-warc end to end on a real DuckDB file: idempotent, URL variants merged, damage recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from iot_ingest.archive import Capture, read_archived
from iot_ingest.config import Config
from iot_ingest.ingest import import_warcs
from tests.support.conformance import corpus
from tests.support.digest import rows as _rows
from tests.support.digest import snapshot as _snapshot

pytestmark = pytest.mark.integration


def test_importing_the_same_file_twice_changes_nothing(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    warc = warc_of(captures)
    first = import_warcs([warc], db, config)
    before = _snapshot(db)
    raw_files_before = sorted(p.name for p in (tmp_path / "raw").iterdir())
    second = import_warcs([warc], db, config)
    assert _snapshot(db) == before
    assert first.load.responses_archived == len(captures)
    assert second.load.responses_archived == 0
    assert second.load.already_archived == len(captures)
    # Nothing new was archived the second time: no record was appended anywhere.
    archived = sum(1 for _ in _rows(db, "SELECT 1 FROM responses"))
    assert archived == len(captures)
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == raw_files_before
    runs = _rows(db, "SELECT flow, status FROM runs ORDER BY started_at")
    assert runs == [("import-warc", "completed"), ("import-warc", "completed")]


def test_the_same_captures_in_another_order_give_the_same_warehouse(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    forward, backward = tmp_path / "a" / "iot.duckdb", tmp_path / "b" / "iot.duckdb"
    import_warcs([warc_of(captures, name="forward.warc.gz")], forward, config)
    import_warcs([warc_of(list(reversed(captures)), name="backward.warc.gz")], backward, config)
    a, b = _snapshot(forward), _snapshot(backward)
    for table in ("articles", "article_urls", "sightings", "announcements"):
        assert a[table] == b[table], table


def test_url_variants_of_one_article_are_one_row(
    tmp_path: Path,
    captures: list[Capture],
    warc_of: Callable[..., Path],
    config: Config,
    manifest: list[dict[str, Any]],
) -> None:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(captures)], db, config)
    for page in manifest:
        urls = [page["url"], *page.get("extra_urls", [])]
        found = _rows(
            db, "SELECT DISTINCT article_id FROM article_urls WHERE url IN (SELECT unnest(?::VARCHAR[]))", [urls]
        )
        assert len(found) == 1, f"{page['file']}: {urls} -> {found}"
    # Exactly one articles row per sample page: the variants did not create extra rows.
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == len(manifest) - _same_item_pairs(manifest)


def _same_item_pairs(manifest: list[dict[str, Any]]) -> int:
    """Pages that are another form of a page already counted (the Content API JSON of a GOV.UK page)."""
    return sum(1 for page in manifest if page["content_type"].startswith("application/json"))


def test_copies_point_at_the_official_original_and_stay_separate_articles(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(captures)], db, config)
    rows = _rows(
        db,
        """SELECT c.publisher, o.publisher, c.copy_kind
           FROM articles c JOIN articles o ON o.article_id = c.duplicate_of ORDER BY 1""",
    )
    # The 10 April 2019 release: republished word for word (PES Media and Manufacturing Management;
    # FE News with an intro of its own) and trimmed to its first paragraphs (LEP Network). Every
    # copy points at GOV.UK, the official source, not at the copy it may have been taken from.
    assert rows == [
        ("FE News", "GOV.UK", "verbatim"),
        ("Manufacturing Management", "GOV.UK", "verbatim"),
        ("PES Media", "GOV.UK", "verbatim"),
        ("The LEP Network", "GOV.UK", "trimmed"),
    ]
    # Independent reports of wave 2 (FE Week, Tes) are not copies of the release or of each other.
    assert _rows(
        db, "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL AND publisher IN ('FE Week', 'Tes')"
    ) == [(0,)]


def test_one_announcement_per_real_world_event(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(captures)], db, config)
    announcements = _rows(
        db,
        """SELECT a.announced_on, o.publisher, a.funding_gbp, a.article_count
           FROM announcements a JOIN articles o ON o.article_id = a.original_article_id ORDER BY 1""",
    )
    assert announcements == [
        (date(2019, 4, 10), "GOV.UK", 170_000_000, 5),  # published 00:01 BST: 10 April, not the 9th
        (date(2020, 10, 8), "GOV.UK", 120_000_000, 1),  # the wave 2 competition: a separate event
        (date(2021, 12, 17), "GOV.UK", 120_000_000, 3),  # the winners: GOV.UK, FE Week and Tes
        (date(2022, 11, 3), "Swindon College", 21_000_000, 1),
    ]
    # Every relevant article belongs to exactly one announcement; hard negatives to none.
    assert _rows(db, "SELECT count(*) FROM articles WHERE is_relevant AND announcement_id IS NULL") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM articles WHERE NOT is_relevant AND announcement_id IS NOT NULL") == [(0,)]


def test_the_same_text_at_two_paths_of_one_site_is_one_article(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(captures)], db, config)
    ((articles, paths),) = _rows(
        db, "SELECT count(DISTINCT article_id), count(DISTINCT url) FROM sightings WHERE url LIKE '%tes.com%'"
    )
    assert (articles, paths) == (1, 2)


def test_a_trailing_slash_and_tracking_parameters_do_not_make_a_new_article(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    base = next(c for c in captures if "feweek" in c.url)
    variants = [
        base,
        Capture(
            base.url.rstrip("/") + "?utm_source=newsletter&utm_medium=email",
            base.fetched_at,
            200,
            base.headers,
            base.body,
        ),
        Capture(base.url.rstrip("/"), base.fetched_at, 200, base.headers, base.body),
    ]
    import_warcs([warc_of(variants)], db, config)
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 1
    assert _rows(db, "SELECT count(DISTINCT url) FROM article_urls")[0][0] >= 3
    assert _rows(db, "SELECT count(*) FROM sightings")[0][0] == 3


def test_a_later_capture_updates_the_article_and_an_older_one_does_not(
    tmp_path: Path,
    captures: list[Capture],
    warc_of: Callable[..., Path],
    config: Config,
    manifest: list[dict[str, Any]],
) -> None:
    from datetime import timedelta

    db = tmp_path / "iot.duckdb"
    base = next(c for c in captures if "feweek" in c.url)
    sentence = next(p for p in manifest if "feweek" in p["url"])["body_must_contain"][0]
    corrected = base.body.replace(sentence.encode(), (sentence + " This story was corrected.").encode(), 1)
    assert corrected != base.body
    later = Capture(base.url, base.fetched_at + timedelta(days=1), 200, base.headers, corrected)
    earlier = Capture(base.url, base.fetched_at - timedelta(hours=2), 200, base.headers, base.body)
    import_warcs([warc_of([base], name="one.warc.gz")], db, config)
    import_warcs([warc_of([later], name="two.warc.gz")], db, config)
    import_warcs([warc_of([earlier], name="three.warc.gz")], db, config)
    ((body, first_seen, last_seen),) = _rows(db, "SELECT body_text, first_seen_at, last_seen_at FROM articles")
    assert "This story was corrected." in body  # the newest content won, though an older capture came last
    assert first_seen == earlier.fetched_at
    assert last_seen == later.fetched_at
    assert _rows(db, "SELECT count(*) FROM sightings")[0][0] == 3


def test_a_corrupt_record_is_recorded_and_the_rest_of_the_file_loads(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    warc = warc_of(captures)
    data = bytearray(warc.read_bytes())
    # Damage the compressed bytes in the middle of the file: one record becomes unreadable.
    middle = len(data) // 2
    data[middle : middle + 32] = b"\xff" * 32
    warc.write_bytes(bytes(data))
    counts = import_warcs([warc], db, config)
    errors = _rows(db, "SELECT stage, location, reason FROM ingest_errors")
    assert len(errors) == 1
    stage, location, reason = errors[0]
    assert stage == "read"
    assert location.startswith(str(warc.resolve()) + ":")
    assert reason
    assert counts.load.responses_archived == len(captures) - 1
    # A second import records the same problem once, not twice.
    import_warcs([warc], db, config)
    assert len(_rows(db, "SELECT * FROM ingest_errors")) == 1


def test_the_responses_index_points_at_the_archived_bytes(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(captures)], db, config)
    rows = _rows(db, "SELECT url, warc_file, warc_offset, warc_length, payload_digest, fetched_at FROM responses")
    by_key = {(c.url, c.fetched_at): c for c in captures}
    for url, file, offset, length, digest, fetched_at in rows:
        back = read_archived(tmp_path / "raw", file, offset, length)
        assert back.url == url
        assert back.digest == digest
        assert back.body == by_key[(url, fetched_at)].body


def test_timestamps_are_stored_timezone_aware_in_utc(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(captures)], db, config)
    types = dict(
        _rows(db, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'articles'")
    )
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    ((published,),) = _rows(
        db,
        "SELECT published_at FROM articles WHERE url = ?",
        ["https://www.gov.uk/government/news/the-first-twelve-institutes-of-technology-announced"],
    )
    assert published.utcoffset() is not None
    assert published.isoformat().startswith("2019-04-09T23:01:00")  # 00:01 BST on 10 April


def test_the_schema_is_migrated_once_and_recorded(tmp_path: Path, config: Config) -> None:
    from iot_ingest.warehouse import open_writer
    from iot_ingest.warehouse.sql_files import migration_files

    db = tmp_path / "iot.duckdb"
    for _ in range(2):
        with open_writer(db, config):
            pass
    versions = _rows(db, "SELECT version FROM schema_migrations ORDER BY version")
    assert [v for (v,) in versions] == [v for v, _, _ in migration_files()]


def test_a_page_that_breaks_extraction_is_recorded_and_the_rest_load(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    good = captures[0]
    year_one = Capture(
        "https://example.org/year-one",
        good.fetched_at,
        200,
        good.headers,
        b'<html><head><meta property="article:published_time" content="0001-01-01T00:00:00+01:00"></head>'
        b"<body><article><p>" + b"Text. " * 100 + b"</p></article></body></html>",
    )
    api = Capture(
        "https://www.gov.uk/api/content/government/news/x",
        good.fetched_at,
        200,
        (("Content-Type", "application/json"),),
        b'{"base_path": "/government/news/x", "title": 7, "first_published_at": 20190410, "details": []}',
    )
    counts = import_warcs([warc_of([good, year_one, api])], db, config)
    assert counts.load.responses_archived == 3
    assert _rows(db, "SELECT count(*) FROM sightings") == [(3,)]
    assert _rows(db, "SELECT published_at FROM articles WHERE url = 'https://example.org/year-one'") == [(None,)]
    assert _rows(db, "SELECT status FROM runs") == [("completed",)]


def test_every_loaded_article_records_the_path_its_body_came_from(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    db = tmp_path / "iot.duckdb"
    import_warcs([warc_of(captures)], db, config)
    paths = _rows(db, "SELECT extractor_version, extraction_path FROM articles")
    assert paths
    for version, path in paths:
        assert path, version
        if version.startswith("govuk_content_api/"):
            assert path == "content-api"


@pytest.mark.parametrize("name", ["example.arc", "example.arc.gz"])
def test_an_arc_file_imports_its_response(tmp_path: Path, config: Config, name: str) -> None:
    db = tmp_path / "iot.duckdb"
    counts = import_warcs([corpus("warcio") / name], db, config)
    assert counts.load.responses_archived == 1
    assert _rows(db, "SELECT url, status FROM responses") == [("http://example.com/", 200)]


def test_the_progress_bar_counts_the_files_it_shows(
    tmp_path: Path, captures: list[Capture], warc_of: Callable[..., Path], config: Config
) -> None:
    warc = warc_of(captures[:2])
    counts = import_warcs([warc, warc], tmp_path / "iot.duckdb", config, show_progress=True)
    assert counts.load.files == 2
    assert counts.load.responses_archived == 2 and counts.load.already_archived == 2
