"""Notifications end to end: the sample sites ingested, [[notify]] targets that are real JSON
webhooks on 127.0.0.1 (Apprise `json://`), the outbox in `notifications`, and the Atom feed."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import duckdb
import feedparser  # type: ignore[import-untyped]
import pytest

from iot_ingest.config import Config, parse_config
from iot_ingest.demo.sites import DemoSites, sample_site_pages
from iot_ingest.demo.webhook import WebhookReceiver
from iot_ingest.ingest.reprocess import reprocess
from iot_ingest.notify import notify_after_run, write_feed
from iot_ingest.orchestrate import ingest
from iot_ingest.warehouse.sql_files import migration_files
from tests.conftest import CLI
from tests.support.demo_warehouse import copy_of, demo_warehouse_fixture, execute

pytestmark = pytest.mark.integration

demo_db = demo_warehouse_fixture()

# What the demo's four announcements are told as: the kind of event, then the headline.
DEMO_TITLES = [
    "New competition: Competition opens for new Institutes of Technology",
    "New designation: Nine new Institutes of Technology to boost higher technical skills",
    "New designation: The First Twelve Institutes of Technology Announced",
    "New opening: Swindon and Wiltshire Institute of Technology opens its doors",
]


def config_for(sites: DemoSites | None, *targets: tuple[str, str, str]) -> Config:
    """The demo sites' sources (if any) and a [[notify]] table per (name, url, digest)."""
    tables = "".join(f'\n[[notify]]\nname = "{n}"\nurl = "{u}"\ndigest = "{d}"\n' for n, u, d in targets)
    sources = sites.config_toml() if sites else ""
    return parse_config(sources + tables + "\n[warehouse]\nlock_timeout_s = 5\n", origin="test")


def run_sources(db: Path, config: Config) -> dict[str, int]:
    """An incremental run, and its counts with its notification pass's."""
    report = ingest(db, config)
    return {**report.total.as_dict(), **report.notified.counts()}


def rows(db: Path, statement: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(statement).fetchall()
    finally:
        con.close()


def unannounced_copy(demo_db: Path, directory: Path) -> Path:
    """The demo warehouse (and its raw archive) as it was before any notification pass."""
    shutil.copytree(demo_db.parent, directory)
    db = directory / demo_db.name
    execute(db, "DELETE FROM notifications; DELETE FROM notified_announcements; DELETE FROM failing_sources")
    return db


def targets(*tables: tuple[str, str, str]) -> Config:
    return config_for(None, *tables)


def headlines(db: Path) -> list[str]:
    return sorted(str(h) for (h,) in rows(db, "SELECT headline FROM announcements"))


def test_one_message_per_new_announcement_and_none_on_a_rerun_or_after_reprocess(tmp_path: Path) -> None:
    db = tmp_path / "iot.duckdb"
    with DemoSites() as sites, WebhookReceiver() as hook:
        config = config_for(sites, ("team", hook.url, "immediate"))
        counts = run_sources(db, config)
        assert len(headlines(db)) == 4
        assert sorted(m["title"] for m in hook.messages()) == DEMO_TITLES
        assert counts["notifications_sent"] == 4
        assert rows(db, "SELECT DISTINCT event, target, status, attempts FROM notifications") == [
            ("announcement.created", "team", "sent", 1)
        ]
        assert rows(db, "SELECT count(DISTINCT subject_id) FROM notifications")[0][0] == 4

        run_sources(db, config)
        assert len(hook.messages()) == 4
        reprocess(db, config)
        after = notify_after_run(db, config)
        assert after.events == [] and after.sent == 0
        assert len(hook.messages()) == 4
    assert rows(db, "SELECT count(*) FROM notifications")[0][0] == 4


def test_a_new_article_joining_an_announcement_is_one_update(tmp_path: Path) -> None:
    db = tmp_path / "iot.duckdb"
    sites = DemoSites(sample_site_pages())
    held_back = dict(sites.sites["www.pesmedia.com"].pages)
    sites.sites["www.pesmedia.com"].pages.clear()
    with sites, WebhookReceiver() as hook:
        config = config_for(sites, ("team", hook.url, "immediate"))
        run_sources(db, config)
        assert len(hook.messages()) == 4
        sites.sites["www.pesmedia.com"].pages.update(held_back)  # PES Media republishes the release
        run_sources(db, config)
        new = hook.messages()[4:]
    assert [m["title"] for m in new] == ["Designation updated: The First Twelve Institutes of Technology Announced"]
    assert "What changed: 1 more article" in new[0]["message"]
    assert rows(db, "SELECT event, count(*) FROM notifications GROUP BY ALL ORDER BY 1") == [
        ("announcement.created", 4),
        ("announcement.updated", 1),
    ]


def test_a_daily_digest_is_one_message_for_several_announcements(demo_db: Path, tmp_path: Path) -> None:
    db = unannounced_copy(demo_db, tmp_path / "copy")
    with WebhookReceiver() as hook:
        config = targets(("morning", hook.url, "daily"))
        assert notify_after_run(db, config).sent == 4
        assert notify_after_run(db, config).sent == 0  # the day's digest is out
        messages = hook.messages()
    assert len(messages) == 1
    assert messages[0]["title"].startswith("iot-ingest daily digest, ")
    assert messages[0]["title"].endswith(": 4 updates")
    for title in DEMO_TITLES:
        assert title in messages[0]["message"]
    assert rows(db, "SELECT DISTINCT digest, status FROM notifications") == [("daily", "sent")]


def test_a_dead_target_is_recorded_without_its_secret_and_retried_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Through a real run: the run completes whatever the target does."""
    db = tmp_path / "iot.duckdb"
    secret = "hunter2-a7f3e9"
    monkeypatch.setenv("IOT_TEST_HOOK_PASSWORD", secret)
    caplog.set_level(logging.DEBUG)
    with DemoSites() as sites:
        with WebhookReceiver(failing=True) as dead:
            url = f"json://alerts:${{IOT_TEST_HOOK_PASSWORD}}@127.0.0.1:{dead.port}/hooks"
            config = config_for(sites, ("ops", url, "immediate"))
            counts = run_sources(db, config)
        assert counts["notifications_failed"] == 4
        assert rows(db, "SELECT status FROM runs") == [("completed",)]
        failed = rows(db, "SELECT status, attempts, error FROM notifications")
        assert {(status, attempts) for status, attempts, _ in failed} == {("failed", 1)}
        assert all(str(error).startswith("target ops: ") for _, _, error in failed)
        with WebhookReceiver() as alive:
            url = f"json://alerts:${{IOT_TEST_HOOK_PASSWORD}}@127.0.0.1:{alive.port}/hooks"
            retried = notify_after_run(db, config_for(sites, ("ops", url, "immediate")))
            assert retried.sent == 4 and len(alive.messages()) == 4
    assert set(rows(db, "SELECT status, attempts, error FROM notifications")) == {("sent", 2, None)}
    assert secret not in caplog.text
    assert secret.encode() not in db.read_bytes()


def test_the_feed_parses_and_its_ids_are_stable_through_reprocessing_and_id_changes(
    demo_db: Path, tmp_path: Path
) -> None:
    db = unannounced_copy(demo_db, tmp_path / "copy")
    config = targets()
    write_feed(db, config, tmp_path / "unrecorded.atom")
    notify_after_run(db, config)
    write_feed(db, config, tmp_path / "first.atom")
    reprocess(db, config)
    notify_after_run(db, config)
    write_feed(db, config, tmp_path / "second.atom")
    first, second = (feedparser.parse(str(tmp_path / name)) for name in ("first.atom", "second.atom"))
    assert not first.bozo, first.get("bozo_exception")
    assert first.version == "atom10"
    assert [e.id for e in first.entries] == [e.id for e in second.entries]
    assert [e.id for e in feedparser.parse(str(tmp_path / "unrecorded.atom")).entries] == [e.id for e in first.entries]
    assert len(first.entries) == 4
    assert all(e.id.startswith("urn:iot-ingest:announcement:ann_") for e in first.entries)
    dates = [e.published_parsed for e in first.entries]
    assert dates == sorted(dates, reverse=True)
    kinds = {e.title: [(t.term, t.scheme, t.label) for t in e.tags] for e in first.entries}
    assert kinds["The First Twelve Institutes of Technology Announced"] == [
        ("designation", "urn:iot-ingest:kind", "Designation"),
        ("institutes_of_technology", "urn:iot-ingest:topic", None),
    ]
    assert kinds["Swindon and Wiltshire Institute of Technology opens its doors"][0][0] == "opening"
    twelve = next(e for e in first.entries if e.title.startswith("The First Twelve"))
    assert twelve.summary.startswith("Designation, 10 Apr 2019, 12 institutes, £170m.")

    # The announcement's id changes (as when its articles regroup): the entry keeps its id, no news.
    old_id = first.entries[0].id.removeprefix("urn:iot-ingest:announcement:")
    for statement in (
        "UPDATE announcements SET announcement_id = 'ann_regrouped' WHERE announcement_id = ?",
        "UPDATE announcement_institutes SET announcement_id = 'ann_regrouped' WHERE announcement_id = ?",
        "UPDATE articles SET announcement_id = 'ann_regrouped' WHERE announcement_id = ?",
        "INSERT INTO announcement_aliases VALUES (?, 'ann_regrouped', now())",
    ):
        execute(db, statement, [(old_id,)])
    assert notify_after_run(db, config).events == []
    write_feed(db, config, tmp_path / "third.atom")
    third = feedparser.parse(str(tmp_path / "third.atom"))
    assert [e.id for e in third.entries] == [e.id for e in first.entries]

    # Regrouping shows it to be another kind of event: one update that says so, then nothing.
    execute(db, "UPDATE announcements SET kind = 'shortlist' WHERE announcement_id = 'ann_regrouped'")
    (changed,) = notify_after_run(db, config).events
    assert changed.name == "announcement.updated"
    assert changed.payload["kind"] == "shortlist"
    assert changed.payload["changes"] == [f"kind {third.entries[0].tags[0].term} -> shortlist"]
    assert notify_after_run(db, config).events == []
    write_feed(db, config, tmp_path / "fourth.atom")
    fourth = feedparser.parse(str(tmp_path / "fourth.atom"))
    assert fourth.entries[0].id == first.entries[0].id
    assert fourth.entries[0].tags[0].term == "shortlist"
    assert fourth.entries[0].summary.startswith("Shortlist, ")


def test_feed_command_writes_the_newest_entries_report_writes_one_beside_it_and_bad_arguments_are_refused(
    demo_db: Path, tmp_path: Path
) -> None:
    db = copy_of(demo_db, tmp_path / "copy")

    def feed(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CLI), "feed", "--db", str(db), *args], capture_output=True, text=True, timeout=120, cwd=tmp_path
        )

    done = feed("--out", str(tmp_path / "iot.atom"), "--limit", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {tmp_path / 'iot.atom'}: 2 announcements"
    parsed = feedparser.parse(str(tmp_path / "iot.atom"))
    assert [e.title for e in parsed.entries] == [
        "Swindon and Wiltshire Institute of Technology opens its doors",
        "Nine new Institutes of Technology to boost higher technical skills",
    ]
    links = {link.rel for link in parsed.entries[1].links}
    assert links == {"alternate", "related"}
    reported = subprocess.run(
        [str(CLI), "report", "--db", str(db), "--out", str(tmp_path / "report.html"), "--feed"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert reported.returncode == 0, reported.stderr
    assert f"wrote {tmp_path / 'report.atom'}: 4 announcements" in reported.stdout
    assert len(feedparser.parse(str(tmp_path / "report.atom")).entries) == 4
    for args, message in (
        (("--out", str(tmp_path / "iot.txt")), "the feed is an Atom document"),
        (("--out", str(tmp_path / "iot.atom"), "--limit", "0"), "--limit"),
        (("--out", str(tmp_path / "missing" / "iot.atom")), "no such directory"),
    ):
        refused = feed(*args)
        assert refused.returncode == 2, refused.stderr
        assert message in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def test_a_failing_source_is_told_once_while_it_keeps_failing(tmp_path: Path) -> None:
    db = tmp_path / "iot.duckdb"
    with WebhookReceiver() as dead_site:
        closed = dead_site.port  # a port nothing listens on once the receiver has stopped
    with WebhookReceiver() as hook:
        config = parse_config(
            '[http]\nallow_private_hosts = ["127.0.0.1"]\nmax_attempts = 1\n'
            f'[[sources]]\nname = "feweek"\nkind = "feed"\nurl = "http://127.0.0.1:{closed}/feed/"\n'
            f'[[notify]]\nname = "ops"\nurl = "{hook.url}"\nevents = ["source.failing"]\n',
            origin="test",
        )
        first = run_sources(db, config)
        second = run_sources(db, config)
        messages = hook.messages()
    assert first["sources_failed"] == 1 and second["sources_failed"] == 1
    assert [m["title"] for m in messages] == [messages[0]["title"]]
    assert messages[0]["title"].startswith("Source failing: feweek: ")
    assert rows(db, "SELECT event, subject_id, status FROM notifications") == [("source.failing", "feweek", "sent")]


def test_a_warehouse_older_than_notifications_announces_its_history_to_nobody(demo_db: Path, tmp_path: Path) -> None:
    # Migration 0012 over a warehouse that has announcements leaves a baseline to take.
    con = duckdb.connect()
    try:
        for version, _, path in migration_files():
            if version == 12:
                con.execute("INSERT INTO announcements (announcement_id, headline) VALUES ('ann_old', 'Old news')")
            con.execute(path.read_text("utf-8"))
        assert con.execute("SELECT pending FROM notify_baseline").fetchall() == [(True,)]
    finally:
        con.close()

    db = unannounced_copy(demo_db, tmp_path / "copy")
    execute(db, "INSERT INTO notify_baseline VALUES (true)")
    with WebhookReceiver() as hook:
        config = targets(("team", hook.url, "immediate"))
        assert notify_after_run(db, config).events == []
        assert notify_after_run(db, config).events == []
        assert hook.messages() == []
    assert rows(db, "SELECT count(*) FROM notified_announcements")[0][0] == 4
    assert rows(db, "SELECT count(*) FROM notify_baseline")[0][0] == 0
