"""The report page: one self-contained HTML document (plotly.js inlined once, no network)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from typing import Any

from iot_ingest.report import charts
from iot_ingest.report.data import ReportData
from iot_ingest.report.formatting import count, day, money

__all__ = ["CHART_IDS", "render_page"]

# The div id of every chart, in page order; the rendering test checks each one drew.
CHART_IDS = ("timeline", "outlets", "lag", "health")

_CSS = """
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; margin: 0 auto; max-width: 1100px;
       padding: 0 20px 40px; line-height: 1.4; }
h1 { margin-bottom: 0; } .meta { color: #505a5f; margin-top: 4px; }
.totals { display: flex; gap: 24px; flex-wrap: wrap; margin: 16px 0; }
.totals div { background: #f3f2f1; padding: 10px 16px; } .totals b { display: block; font-size: 1.6em; }
table { border-collapse: collapse; width: 100%; margin: 12px 0 24px; font-size: 0.9em; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #b1b4b6; vertical-align: top; }
th { background: #f3f2f1; } td.n { text-align: right; white-space: nowrap; }
.empty { color: #505a5f; font-style: italic; } .problem { color: #d4351c; font-weight: bold; }
"""


def render_page(data: ReportData, *, generated_at: datetime, database: str, title: str) -> str:
    """The page; `title` is the topic's (or the topics') as people read it."""
    from plotly.offline import get_plotlyjs  # type: ignore[import-untyped]

    figures = {
        "timeline": charts.timeline_chart(data.announcements),
        "outlets": charts.outlets_chart(data.outlets),
        "lag": charts.lag_chart(data.outlets),
        "health": charts.health_chart(data.health),
    }
    chart = {name: _chart_div(figure, name) for name, figure in figures.items()}
    relevant_articles = sum(o.articles for o in data.outlets)
    body = f"""
<h1>{escape(title)} announcements</h1>
<p class="meta">From {escape(database)}, generated {escape(day(generated_at))}.</p>
<div class="totals">
  <div><b>{len(data.announcements)}</b>announcements</div>
  <div><b>{relevant_articles}</b>relevant articles</div>
  <div><b>{len(data.outlets)}</b>outlets</div>
  <div><b>{len(data.institutes)}</b>institutes named</div>
</div>
<h2>Announcements</h2>
{chart["timeline"]}
{_announcements_table(data)}
<h2>Institutes</h2>
{_institutes_table(data)}
<h2>Outlet coverage</h2>
{chart["outlets"]}
{chart["lag"]}
<h2>Pipeline health</h2>
{chart["health"]}
{_problems_table(data)}
"""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)}: warehouse report</title>
<style>{_CSS}</style>
<script>{get_plotlyjs()}</script>
</head>
<body>{body}</body>
</html>
"""


def _chart_div(figure: Any, div_id: str) -> str:
    import plotly.io as pio  # type: ignore[import-untyped]

    html: str = pio.to_html(
        figure,
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )
    return html


def _announcements_table(data: ReportData) -> str:
    rows = [
        [
            day(a.announced_on),
            _link(a.headline or "(no headline)", a.original_url),
            count(a.institute_count, "institute"),
            money(a.funding_gbp),
            a.original_publisher or "",
            str(a.articles),
            str(a.outlets),
            ", ".join(a.institutes),
        ]
        for a in data.announcements
    ]
    return _table(
        ["date", "headline", "count", "sum", "original", "articles", "outlets", "institutes named"],
        rows,
        raw_columns={1},
        numeric_columns={5, 6},
        empty="No announcements in the warehouse yet.",
    )


def _institutes_table(data: ReportData) -> str:
    rows = [
        [
            i.name,
            i.lead_provider or "",
            str(i.wave) if i.wave is not None else "",
            i.status,
            day(i.announced_on),
            day(i.opened_on),
            str(i.announcements),
            str(i.articles),
            str(i.outlets),
            ", ".join(money(s) for s in i.sums_mentioned_gbp or []),
        ]
        for i in data.institutes
    ]
    return _table(
        [
            "institute",
            "lead",
            "wave",
            "status",
            "announced",
            "opened",
            "announcements",
            "articles",
            "outlets",
            "sums mentioned",
        ],
        rows,
        numeric_columns={2, 6, 7, 8},
        empty="No institutes recorded yet: announcements name none in announcement_institutes.",
    )


def _problems_table(data: ReportData) -> str:
    rows = [
        [r.area, r.subject or "", r.status or "", str(r.total), day(r.last_at), r.detail or ""]
        for r in data.health
        if r.problem
    ]
    return _table(
        ["area", "subject", "status", "count", "last", "detail"],
        rows,
        numeric_columns={3},
        empty="No problems: no failed runs, failed fetches, ingest errors or stale sources.",
        row_class="problem",
    )


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    empty: str,
    raw_columns: set[int] | None = None,
    numeric_columns: set[int] | None = None,
    row_class: str = "",
) -> str:
    """An HTML table of text cells, escaped unless a column is marked raw (already safe HTML)."""
    raw, numeric = raw_columns or set(), numeric_columns or set()
    numeric_cell = ' class="n"'
    body = [
        "<tr>"
        + "".join(
            f"<td{numeric_cell if i in numeric else ''}>{cell if i in raw else escape(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    ]
    if not body:
        return f'<p class="empty">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    attribute = f' class="{row_class}"' if row_class else ""
    return f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _link(text: str, url: str | None) -> str:
    if not url or not url.startswith(("https://", "http://")):
        return escape(text)
    return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'
