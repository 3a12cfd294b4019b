"""The report's charts and page from hand-made rows: sizes, empty sections, escaping."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html

from iot_ingest.report import CHART_IDS
from iot_ingest.report.charts import lag_chart, timeline_chart
from iot_ingest.report.data import Announcement, HealthRow, Institute, Outlet, ReportData
from iot_ingest.report.formatting import money
from iot_ingest.report.page import render_page


def announcement(day: date | None, articles: int, headline: str = "Twelve IoTs", **changes: object) -> Announcement:
    fields: dict[str, object] = {
        "announced_on": day,
        "headline": headline,
        "institute_count": 12,
        "funding_gbp": 170_000_000,
        "original_publisher": "GOV.UK",
        "original_url": "https://www.gov.uk/government/news/the-first-twelve-institutes-of-technology-announced",
        "articles": articles,
        "sightings": articles,
        "outlets": articles,
        "institutes": [],
    }
    fields.update(changes)
    return Announcement(**fields)  # type: ignore[arg-type]


def test_timeline_sizes_markers_by_coverage_and_skips_undated() -> None:
    figure = timeline_chart(
        [
            announcement(date(2019, 4, 10), 8),
            announcement(date(2021, 12, 17), 2, funding_gbp=None),
            announcement(None, 5),
        ]
    )
    (trace,) = figure.data
    assert list(trace.marker.size) == [8, 2]
    assert list(trace.y) == [170.0, 0.0]
    assert trace.marker.sizemode == "area"
    assert "no sum stated" in trace.customdata[1]
    assert not figure.layout.annotations


def test_empty_charts_say_so() -> None:
    for figure in (timeline_chart([]), lag_chart([])):
        assert [a.text for a in figure.layout.annotations] == ["nothing recorded yet"]


def test_lag_chart_marks_reports_before_the_original() -> None:
    outlets = [
        Outlet("FE News", 1, 0, 1, 0, 3, 8.48),
        Outlet("The LEP Network", 1, 0, 1, 0, 1, -0.02),
        Outlet("GOV.UK", 3, 3, 0, 0, 4, None),
    ]
    (trace,) = lag_chart(outlets).data
    assert list(trace.y) == ["FE News", "The LEP Network"]
    assert trace.marker.color[1] != trace.marker.color[0]


def test_money() -> None:
    assert money(170_000_000) == "£170m"
    assert money(17_360_000) == "£17.4m"
    assert money(None) == "no sum stated"


def test_page_escapes_warehouse_text_and_links_only_web_addresses() -> None:
    data = ReportData(
        announcements=[
            announcement(date(2019, 4, 10), 3, headline="<script>alert(1)</script> IoTs"),
            announcement(date(2020, 1, 1), 1, headline="Bad link", original_url="javascript:alert(1)"),
        ],
        institutes=[
            Institute(
                "Dudley & <Black Country>",
                "Dudley College",
                1,
                "designated",
                date(2019, 4, 10),
                None,
                1,
                3,
                2,
                [170_000_000],
            )
        ],
        outlets=[],
        health=[HealthRow("fetch_failure", "www.gov.uk", "503", 2, datetime(2026, 1, 1, tzinfo=UTC), "HTTP 503", True)],
    )
    html = render_page(
        data, generated_at=datetime(2026, 1, 2, tzinfo=UTC), database="iot.duckdb", title="Institutes of Technology"
    )
    page = lxml.html.fromstring(html)
    assert "<script>alert(1)</script> IoTs" in page.text_content()
    # No script element was opened by the headline: plotly.js and one per chart, the headline
    # inside a chart's data only as escaped JSON.
    scripts = page.xpath("//script")
    assert len(scripts) == 1 + len(CHART_IDS)
    assert not [s for s in scripts if "<script>alert(1)" in (s.text or "")]
    assert [a.get("href") for a in page.xpath("//a")] == [
        "https://www.gov.uk/government/news/the-first-twelve-institutes-of-technology-announced"
    ]
    assert "Dudley & <Black Country>" in page.text_content()
    problems = page.xpath("//table[@class='problem']//td/text()")
    assert "www.gov.uk" in problems and "HTTP 503" in problems
    assert [page.get_element_by_id(chart) is not None for chart in CHART_IDS] == [True] * len(CHART_IDS)
