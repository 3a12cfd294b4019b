"""The report's charts: plotly figures built from report rows, no I/O.

Every builder returns a figure even for no data (an empty chart that says so), so the page
always has the same sections and a reader sees that a section is empty rather than missing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import plotly.graph_objects as go  # type: ignore[import-untyped]

from iot_ingest.report.data import Announcement, HealthRow, Outlet
from iot_ingest.report.formatting import count, money, short

__all__ = ["health_chart", "lag_chart", "outlets_chart", "timeline_chart"]

_LARGEST_MARKER_PX = 60
_MARGIN = timedelta(days=150)
_COLOURS = {"originals": "#1d70b8", "copies": "#f47738", "own reports": "#00703c"}


def timeline_chart(announcements: list[Announcement]) -> Any:
    """Each announcement on its date at the height of its headline sum, its marker's area
    proportional to the articles that reported it."""
    dated = [a for a in announcements if a.announced_on is not None]
    largest = max((a.articles for a in dated), default=1) or 1
    figure = go.Figure(
        go.Scatter(
            x=[a.announced_on for a in dated],
            y=[(a.funding_gbp or 0) / 1e6 for a in dated],
            mode="markers+text",
            text=[short(a.headline or "", 38) for a in dated],
            # The first and last labels lean inwards so the plot's edges do not cut them.
            textposition=[
                "top right" if i == 0 else "top left" if i == len(dated) - 1 else "top center"
                for i in range(len(dated))
            ],
            customdata=[
                [
                    a.headline or "",
                    count(a.institute_count, "institute"),
                    money(a.funding_gbp),
                    a.articles,
                    a.outlets,
                    a.sightings,
                    a.original_publisher or "unknown",
                ]
                for a in dated
            ],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{x|%d %B %Y}: %{customdata[1]}, %{customdata[2]}<br>"
                "%{customdata[3]} articles in %{customdata[4]} outlets, %{customdata[5]} captures<br>"
                "original: %{customdata[6]}<extra></extra>"
            ),
            marker={
                "size": [max(a.articles, 1) for a in dated],
                "sizemode": "area",
                "sizeref": 2.0 * largest / _LARGEST_MARKER_PX**2,
                "sizemin": 6,
                "color": "#1d70b8",
                "opacity": 0.75,
                "line": {"width": 1, "color": "#0b0c0c"},
            },
            name="announcements",
        )
    )
    _layout(figure, "Announcements over time (marker area: articles reporting each)", empty=not dated)
    highest = max(((a.funding_gbp or 0) / 1e6 for a in dated), default=0.0)
    # Headroom above the highest marker and beside the first and last, so labels are not clipped.
    figure.update_yaxes(title_text="headline sum (£m; 0 when none stated)", range=[-0.08 * highest, 1.3 * highest + 1])
    figure.update_xaxes(title_text="announced on")
    if dated:
        first = min(a.announced_on for a in dated if a.announced_on)
        last = max(a.announced_on for a in dated if a.announced_on)
        figure.update_xaxes(range=[first - _MARGIN, last + _MARGIN])
    return figure


def outlets_chart(outlets: list[Outlet]) -> Any:
    """Per outlet, its relevant articles split into originals, copies and its own reports."""
    names = [o.outlet or "unknown" for o in outlets]
    parts = {
        "originals": [o.originals for o in outlets],
        "copies": [o.copies for o in outlets],
        "own reports": [o.own_reports for o in outlets],
    }
    figure = go.Figure(
        [
            go.Bar(name=part, y=names, x=values, orientation="h", marker_color=_COLOURS[part])
            for part, values in parts.items()
        ]
    )
    _layout(figure, "Articles per outlet", empty=not outlets)
    figure.update_layout(barmode="stack", height=max(320, 60 + 32 * len(outlets)))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title_text="relevant articles")
    return figure


def lag_chart(outlets: list[Outlet]) -> Any:
    """Median hours from each announcement's original to the outlet's article."""
    timed = [o for o in outlets if o.median_lag_hours is not None]
    figure = go.Figure(
        go.Bar(
            y=[o.outlet or "unknown" for o in timed],
            x=[o.median_lag_hours for o in timed],
            orientation="h",
            marker_color=["#d4351c" if (o.median_lag_hours or 0) < 0 else "#1d70b8" for o in timed],
            hovertemplate="%{y}: %{x:.1f} h after the original<extra></extra>",
            name="median lag",
        )
    )
    _layout(figure, "How fast outlets followed the original (median hours; negative: before it)", empty=not timed)
    figure.update_layout(height=max(320, 60 + 32 * len(timed)))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title_text="hours after the original was published")
    return figure


def health_chart(health: list[HealthRow]) -> Any:
    """Runs per flow and failures per host, coloured by status, side by side."""
    from plotly.subplots import make_subplots  # type: ignore[import-untyped]

    figure = make_subplots(rows=1, cols=2, subplot_titles=("runs by flow", "failures by host"))
    for column, areas in ((1, {"run"}), (2, {"fetch_failure", "ingest_error"})):
        by_status: dict[str, dict[str, int]] = defaultdict(dict)
        for row in health:
            if row.area in areas:
                label = row.status if row.area != "ingest_error" else f"ingest: {row.status}"
                by_status[label or "unknown"][row.subject or "unknown"] = row.total
        for status, totals in sorted(by_status.items()):
            figure.add_trace(go.Bar(name=status, x=list(totals), y=list(totals.values())), row=1, col=column)
        if not by_status:
            low, high = figure.layout[f"xaxis{column if column > 1 else ''}"].domain
            figure.add_annotation(
                text="none recorded", showarrow=False, xref="paper", yref="paper", x=(low + high) / 2, y=0.5
            )
    _layout(figure, "Runs and failures", empty=False)
    figure.update_layout(barmode="stack")
    return figure


def _layout(figure: Any, title: str, *, empty: bool) -> None:
    figure.update_layout(
        title={"text": title, "x": 0},
        template="plotly_white",
        margin={"l": 40, "r": 20, "t": 70, "b": 50},
        height=420,
        legend={"orientation": "h", "y": -0.15},
        font={"family": "Arial, Helvetica, sans-serif"},
    )
    if empty:
        figure.add_annotation(text="nothing recorded yet", showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
