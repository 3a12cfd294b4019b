"""The console script as users and scripts meet it: commands, exit codes, one-line errors, outputs."""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iot_ingest.archive import Capture
from iot_ingest.demo import sample_pages
from iot_ingest.demo.sites import DemoSites
from tests.support.digest import rows

pytestmark = pytest.mark.integration

Cli = Callable[..., Any]


@pytest.fixture
def loaded_db(tmp_path: Path, cli: Cli, captures: list[Capture], warc_of: Callable[..., Path]) -> Path:
    db = tmp_path / "wh" / "iot.duckdb"
    done = cli("import-warc", "--db", db, warc_of(captures))
    assert done.code == 0, done.err
    return db


def _one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_help_lists_the_commands(cli: Cli) -> None:
    done = cli("--help")
    assert done.code == 0
    for command in ("import-warc", "extract", "query", "demo"):
        assert command in done.out


def test_import_warc_loads_and_summarises(
    cli: Cli, captures: list[Capture], warc_of: Callable[..., Path], tmp_path: Path
) -> None:
    db = tmp_path / "iot.duckdb"
    done = cli("import-warc", "--db", db, warc_of(captures))
    assert done.code == 0, done.err
    assert f"responses archived: {len(captures)}" in done.out
    again = cli("import-warc", "--db", db, warc_of(captures))
    assert again.code == 0
    # The summary lists what happened: counts that stayed at zero are left out.
    assert f"already archived: {len(captures)}" in again.out and "responses archived" not in again.out


def test_db_defaults_to_the_environment_variable(
    cli: Cli, captures: list[Capture], warc_of: Callable[..., Path], tmp_path: Path
) -> None:
    db = tmp_path / "from-env.duckdb"
    assert cli("import-warc", warc_of(captures), env={"IOT_INGEST_DB": str(db)}).code == 0
    assert db.is_file()


def test_import_warc_of_a_missing_file_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    done = cli("import-warc", "--db", tmp_path / "x.duckdb", tmp_path / "nope.warc.gz")
    assert done.code == 2
    assert "nope.warc.gz: no such file" in _one_line_error(done.err)
    assert not (tmp_path / "x.duckdb").exists(), "a usage error must not create the database"


def test_a_bad_config_is_exit_2_with_one_line(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nname = 1\nkind = "feed"\nurl = "https://feweek.co.uk/feed/"\n')
    done = cli("import-warc", "--config", bad, "--db", tmp_path / "x.duckdb", bad)
    assert done.code == 2
    assert "sources[0].name" in _one_line_error(done.err)
    done = cli("query", "--config", tmp_path / "absent.toml", "--db", tmp_path / "x.duckdb", "SELECT 1")
    assert done.code == 2
    assert "absent.toml: no such file" in _one_line_error(done.err)


def test_a_bad_topic_file_is_exit_2_naming_the_file_and_the_field(cli: Cli, tmp_path: Path) -> None:
    topic = tmp_path / "topics" / "mine.toml"
    topic.parent.mkdir()
    topic.write_text("threshold = 2.0\n[[required]]\nlabel = 'x'\npattern = '(unclosed'\nweight = 1.0\n")
    config = tmp_path / "mine.toml"  # not iot-ingest.toml: the next command runs here with the default
    config.write_text('[[topics]]\nname = "mine"\nfile = "topics/mine.toml"\n')
    done = cli("query", "--config", config, "--db", tmp_path / "x.duckdb", "SELECT 1")
    assert done.code == 2
    line = _one_line_error(done.err)
    assert str(topic) in line and "required[0].pattern" in line
    done = cli("feed", "--db", tmp_path / "x.duckdb", "--out", tmp_path / "f.atom", "--topic", "widgets")
    assert done.code == 2
    assert "--topic widgets: not a configured topic" in _one_line_error(done.err)


def test_a_usage_error_is_one_line(cli: Cli) -> None:
    done = cli("query", "--format", "xml", "SELECT 1")
    assert done.code == 2
    assert "invalid choice" in _one_line_error(done.err)
    assert cli("no-such-command").code == 2


def test_query_formats(cli: Cli, loaded_db: Path) -> None:
    sql = "SELECT title, published_at, is_relevant FROM articles ORDER BY published_at LIMIT 3"
    as_json = cli("query", "--db", loaded_db, "--format", "json", sql)
    assert as_json.code == 0, as_json.err
    rows = json.loads(as_json.out)
    assert isinstance(rows, list) and len(rows) == 3
    assert set(rows[0]) == {"title", "published_at", "is_relevant"}
    as_csv = cli("query", "--db", loaded_db, "--format", "csv", sql)
    parsed = list(csv.reader(io.StringIO(as_csv.out)))
    assert parsed[0] == ["title", "published_at", "is_relevant"]
    assert len(parsed) == 4
    table = cli("query", "--db", loaded_db, "--format", "table", sql)
    assert table.code == 0
    assert "(3 rows)" in table.out


def test_query_json_parses_json_columns(cli: Cli, loaded_db: Path) -> None:
    done = cli("query", "--db", loaded_db, "--format", "json", "SELECT facts FROM articles WHERE is_relevant LIMIT 1")
    (row,) = json.loads(done.out)
    assert isinstance(row["facts"], dict)


def test_query_json_is_strict_json_even_for_nan_and_infinity(cli: Cli, loaded_db: Path) -> None:
    sql = "SELECT 'nan'::DOUBLE AS n, 'inf'::DOUBLE AS i, [1.5, 'nan'::DOUBLE] AS l, 2.5 AS ok"
    done = cli("query", "--db", loaded_db, "--format", "json", sql)
    assert done.code == 0, done.err
    assert json.loads(done.out, parse_constant=lambda name: pytest.fail(f"not JSON: {name}")) == [
        {"n": None, "i": None, "l": [1.5, None], "ok": 2.5}
    ]


def test_query_runs_a_saved_file(cli: Cli, loaded_db: Path, tmp_path: Path) -> None:
    saved = tmp_path / "count.sql"
    saved.write_text("-- how many articles\nSELECT count(*) AS n FROM articles;\n")
    done = cli("query", "--db", loaded_db, "--format", "json", "--file", saved)
    assert done.code == 0, done.err
    assert json.loads(done.out)[0]["n"] > 0


def test_every_saved_query_runs(cli: Cli, loaded_db: Path) -> None:
    queries = sorted((Path(__file__).parents[2] / "warehouse" / "queries").glob("*.sql"))
    assert queries
    for query in queries:
        done = cli("query", "--db", loaded_db, "--format", "json", "--file", query)
        assert done.code == 0, f"{query.name}: {done.err}"
        json.loads(done.out)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM articles",
        "CREATE TABLE x (a INT)",
        "DROP TABLE runs",
        "COPY (SELECT 42) TO 'written-by-query.csv'",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SET enable_external_access = true",
    ],
)
def test_query_refuses_writes(cli: Cli, loaded_db: Path, sql: str) -> None:
    done = cli("query", "--db", loaded_db, sql)
    assert done.code == 2
    assert "read-only" in _one_line_error(done.err) or "external access" in done.err
    assert not (loaded_db.parent.parent / "written-by-query.csv").exists()


def test_bad_sql_is_exit_2(cli: Cli, loaded_db: Path) -> None:
    done = cli("query", "--db", loaded_db, "SELEC nonsense")
    assert done.code == 2
    assert "bad SQL" in _one_line_error(done.err)
    done = cli("query", "--db", loaded_db, "SELECT * FROM no_such_table")
    assert done.code == 2
    assert "no_such_table" in _one_line_error(done.err)


def test_query_on_a_missing_database_fails_and_creates_nothing(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "missing" / "x.duckdb"
    done = cli("query", "--db", db, "SELECT 1")
    assert done.code == 2
    assert "does not exist" in _one_line_error(done.err)
    assert not db.parent.exists()


def test_an_unreadable_database_is_exit_1(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "garbage.duckdb"
    db.write_bytes(b"this is not a duckdb file" * 200)
    done = cli("query", "--db", db, "SELECT 1")
    assert done.code == 1
    assert str(db) in _one_line_error(done.err)
    done = cli("import-warc", "--db", db, db)
    assert done.code == 1
    assert str(db) in _one_line_error(done.err)


def test_extract_prints_one_json_line_per_file(cli: Cli, tmp_path: Path) -> None:
    pages = sample_pages()
    govuk = tmp_path / "govuk.html"
    govuk.write_bytes(pages.joinpath("govuk/first-twelve-iots.html").read_bytes())
    packed = tmp_path / "engineer.html.gz"
    packed.write_bytes(gzip.compress(pages.joinpath("theengineer/iot-internet-of-things.html").read_bytes()))
    done = cli("extract", govuk, packed)
    assert done.code == 0, done.err
    lines = [json.loads(line) for line in done.out.splitlines()]
    assert len(lines) == 2
    assert set(lines[0]) == {"path", "url", "title", "published_at", "text", "relevant", "facts"}
    assert lines[0]["url"] == "https://www.gov.uk/government/news/the-first-twelve-institutes-of-technology-announced"
    assert lines[0]["title"] == "The First Twelve Institutes of Technology Announced"
    assert lines[0]["published_at"] == "2019-04-09T23:01:00+00:00"
    assert lines[0]["relevant"] is True
    assert lines[0]["facts"]["institute_count"] == 12
    assert lines[0]["facts"]["funding_gbp"] == 170_000_000
    assert lines[1]["relevant"] is False


def test_extract_url_option_and_missing_files(cli: Cli, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(sample_pages().joinpath("tes/wave-two-tes.html").read_bytes())
    done = cli("extract", page, "--url", "https://www.tes.com/magazine/news/x")
    assert json.loads(done.out)["url"] == "https://www.tes.com/magazine/news/x"
    done = cli("extract", page, tmp_path / "absent.html")
    assert done.code == 2
    assert "absent.html" in _one_line_error(done.err)


def test_extract_survives_malformed_html(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_bytes(b"<html><body><div><p>Unclosed <b>tags and \xff\xfe bytes<table><tr><td>cell")
    done = cli("extract", broken)
    assert done.code == 0, done.err
    assert json.loads(done.out)["relevant"] is False


def test_demo_ingests_the_sample_sites_through_the_flow_and_a_second_run_changes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    db = tmp_path / "demo.duckdb"
    # Ports of its own: the default ones may be held by another demo on this machine, and a second
    # run on other ports would meet other URLs (the demo takes any free port for a site whose own is
    # taken). Below the kernel's ephemeral range, where the suite's other servers and clients never
    # land between the two runs.
    ports = {"IOT_INGEST_DEMO_PORT": str(_free_ports_below_ephemeral(len(DemoSites().sites)))}
    done = cli("demo", "--db", db, timeout=300, env=ports)
    assert done.code == 0, done.err
    assert "announcements.sql" in done.out and "relevant_articles.sql" in done.out
    assert "The First Twelve Institutes of Technology Announced" in done.out
    assert "verbatim copy of GOV.UK" in done.out and "trimmed copy of GOV.UK" in done.out
    assert "/runs/flow-run/" in done.out  # where the Prefect run can be seen
    (flow_runs,) = rows(db, "SELECT count(*) FROM runs WHERE flow = 'ingest' AND status = 'completed'")[0]
    assert flow_runs == 1
    tables = (
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_urls), "
        "(SELECT count(*) FROM announcements)"
    )
    before = rows(db, tables)
    # The same library steps without Prefect: feeds and sitemaps answer 304 and nothing new loads.
    again = cli("demo", "--db", db, env={"IOT_INGEST_NO_PREFECT": "1", **ports})
    assert again.code == 0, again.err
    assert rows(db, tables) == before
    latest = (
        "SELECT count(*) FROM fetches WHERE status = 304 "
        "AND run_id = (SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1)"
    )
    assert rows(db, latest)[0][0] >= 8


def _free_ports_below_ephemeral(count: int) -> int:
    """The first of `count` consecutive ports that are free now, below the ephemeral range."""
    ephemeral = Path("/proc/sys/net/ipv4/ip_local_port_range")  # Linux; 32768 is its usual start
    low = int(ephemeral.read_text().split()[0]) if ephemeral.is_file() else 32_768
    rng = random.Random()
    for _ in range(200):
        first = rng.randrange(20_000, low - count)
        sockets = []
        try:
            for port in range(first, first + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError(f"no {count} free ports below {low}")


def test_commands_that_need_no_flow_never_import_prefect(
    captures: list[Capture], warc_of: Callable[..., Path], tmp_path: Path
) -> None:
    """Prefect costs over a second to import and a server to start: only flows may pay for it."""
    db = tmp_path / "iot.duckdb"
    page = tmp_path / "page.html"
    page.write_bytes(captures[0].body)
    script = (
        "import sys\n"
        "from iot_ingest.cli import main\n"
        f"assert main(['import-warc', '--db', {str(db)!r}, {str(warc_of(captures))!r}]) == 0\n"
        f"assert main(['query', '--db', {str(db)!r}, 'SELECT count(*) FROM articles']) == 0\n"
        f"assert main(['extract', {str(page)!r}]) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'prefect', 'flows', 'prefect_dask'})\n"
        "print('LOADED', loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout


def test_extract_reads_a_saved_content_api_item_without_a_url(cli: Cli) -> None:
    item = sample_pages().joinpath("govuk/first-twelve-iots.json")
    done = cli("extract", str(item))
    assert done.code == 0, done.err
    line = json.loads(done.out)
    assert "error" not in line
    assert line["url"] == "https://www.gov.uk/government/news/the-first-twelve-institutes-of-technology-announced"
    assert line["relevant"] is True and line["facts"]["institute_count"] == 12
