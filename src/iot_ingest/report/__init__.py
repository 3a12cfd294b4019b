"""`report`: the warehouse as one self-contained HTML page of charts and tables, read-only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from iot_ingest.config import Config
from iot_ingest.output_files import check_target, write_atomically
from iot_ingest.report.data import ReportData, load_report_data
from iot_ingest.report.page import CHART_IDS, render_page
from iot_ingest.warehouse import open_reader

__all__ = ["CHART_IDS", "ReportData", "write_report"]


def write_report(db_path: Path, config: Config, out: Path, *, topic: str | None = None) -> str:
    """Write the report for the warehouse at `db_path` to `out` (of one topic, else all the
    configured ones); return a one-line summary."""
    check_target(out, (".html", ".htm"), "the report is an HTML page")
    with open_reader(db_path, config, topic=topic) as con:
        data = load_report_data(con)
    title = config.topic_set().title_of(topic)
    page = render_page(data, generated_at=datetime.now(UTC), database=db_path.name, title=title)
    write_atomically(out, lambda path: path.write_text(page, encoding="utf-8"))
    return (
        f"{len(data.announcements)} announcements, {len(data.outlets)} outlets, "
        f"{len(data.institutes)} institutes named, {sum(r.problem for r in data.health)} health problems"
    )
