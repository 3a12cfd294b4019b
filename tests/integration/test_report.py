"""`iot-ingest report`: one self-contained HTML page, written from a read-only connection, whose
charts really draw in a browser (headless Chromium, Debian's package; .ci/run installs it)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from iot_ingest.report import CHART_IDS
from tests.support.cli_runner import CliResult, in_process
from tests.support.demo_warehouse import copy_of, demo_warehouse_fixture, empty_warehouse, name_institutes

pytestmark = pytest.mark.integration

demo_db = demo_warehouse_fixture()


def report(db: Path, out: Path, *extra: str) -> CliResult:
    return in_process(["report", "--db", db, "--out", out, *extra], env={"IOT_INGEST_LOCK_TIMEOUT": "5"})


@pytest.fixture(scope="module")
def demo_report(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    done = report(demo_db, out)
    assert done.code == 0, done.err
    assert "4 announcements" in done.out
    return out


def test_report_is_one_self_contained_page(demo_report: Path) -> None:
    page = lxml.html.parse(str(demo_report)).getroot()
    scripts = page.xpath("//script")
    assert scripts and not [s for s in scripts if s.get("src")], "every script is inline: it works offline"
    assert not page.xpath("//link[@href]"), "no stylesheet or font is fetched"
    assert any("Plotly" in (s.text or "") and len(s.text or "") > 1_000_000 for s in scripts), "plotly.js inlined"
    text = page.text_content()
    for headline in (
        "The First Twelve Institutes of Technology Announced",
        "Competition opens for new Institutes of Technology",
        "Nine new Institutes of Technology to boost higher technical skills",
        "Swindon and Wiltshire Institute of Technology opens its doors",
    ):
        assert headline in text
    for institute in ("Dudley College of Technology", "Swindon and Wiltshire Institute of Technology"):
        assert institute in text  # named by the facts of each announcement's original
    for chart in CHART_IDS:
        assert page.get_element_by_id(chart) is not None


def test_report_reads_without_changing_the_warehouse(demo_db: Path, tmp_path: Path) -> None:
    db = copy_of(demo_db, tmp_path / "wh")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert report(db, tmp_path / "r.html").code == 0
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not list(db.parent.glob("*.wal"))


def test_report_lists_the_institutes_once_named(demo_db: Path, tmp_path: Path) -> None:
    db = copy_of(demo_db, tmp_path / "named")
    name_institutes(db)
    out = tmp_path / "named.html"
    assert report(db, out).code == 0
    page = lxml.html.parse(str(out)).getroot()
    table = page.xpath("//h2[.='Institutes']/following-sibling::table[1]")[0]
    institutes = table.xpath(".//tr/td[1]/text()")
    leads = table.xpath(".//tr/td[2]/text()")
    assert "Black Country and Marches Institute of Technology" in institutes
    assert "Dudley College of Technology" in leads and "University of Salford" in leads
    # Swindon College (2019) and the Swindon and Wiltshire Institute of Technology (2022) are one.
    assert len(institutes) == 21 == institutes.count("Swindon and Wiltshire Institute of Technology") + 20
    assert "<b>21</b>institutes named" in out.read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--out", "report.txt"), "ending in .html"), (("--out", "no/such/dir/r.html"), "no such directory")],
)
def test_report_usage_errors(demo_db: Path, tmp_path: Path, args: tuple[str, str], message: str) -> None:
    done = in_process(["report", "--db", demo_db, *args], cwd=tmp_path)
    assert done.code == 2
    assert message in done.err
    assert len(done.err.strip().splitlines()) == 1


def test_report_of_a_missing_database_is_a_usage_error(tmp_path: Path) -> None:
    done = report(tmp_path / "absent.duckdb", tmp_path / "r.html")
    assert done.code == 2
    assert "does not exist" in done.err
    assert not (tmp_path / "r.html").exists()


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.skip(
            "chromium is not installed and could not be installed here "
            "(.ci/run installs Debian's chromium as root: apt-get install --no-install-recommends chromium)"
        )
    return found


def render(page: Path, profile: Path) -> lxml.html.HtmlElement:
    """The DOM after the page's scripts ran, as headless Chromium dumps it (no network needed)."""
    done = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    root: lxml.html.HtmlElement = lxml.html.fromstring(done.stdout)
    return root


def _by_class(element: lxml.html.HtmlElement, name: str, tag: str = "*") -> list[lxml.html.HtmlElement]:
    found: list[lxml.html.HtmlElement] = element.xpath(
        f".//*[local-name()='{tag}' or '{tag}'='*'][contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    )
    return found


def test_every_chart_draws_in_headless_chromium(demo_report: Path, tmp_path: Path) -> None:
    dom = render(demo_report, tmp_path / "profile")
    for chart in CHART_IDS:
        div = dom.get_element_by_id(chart)
        assert _by_class(div, "main-svg", "svg"), f"{chart}: plotly drew no SVG"
        assert _by_class(div, "trace"), f"{chart}: no trace drawn"
    timeline = dom.get_element_by_id("timeline")
    assert len(_by_class(timeline, "point", "path")) == 4, "one marker per announcement"
    sizes = sorted(float(p.get("d", "M0,0").split("A")[1].split(",")[0]) for p in _by_class(timeline, "point", "path"))
    assert sizes[-1] > sizes[0], "markers are sized by coverage"
    outlets = dom.get_element_by_id("outlets")
    assert len(_by_class(outlets, "point")) == 3 * 8, "originals, copies and own reports for each of 8 outlets"
    lag = dom.get_element_by_id("lag")
    assert len(_by_class(lag, "point")) == 6, "the six outlets that followed an original"


def test_report_of_an_empty_warehouse_says_so(tmp_path: Path) -> None:
    db = empty_warehouse(tmp_path / "empty.duckdb")
    out = tmp_path / "empty.html"
    done = report(db, out)
    assert done.code == 0, done.err
    assert "0 announcements" in done.out
    page = lxml.html.parse(str(out)).getroot()
    assert "No announcements in the warehouse yet." in page.text_content()
    assert all(page.get_element_by_id(chart) is not None for chart in CHART_IDS)
