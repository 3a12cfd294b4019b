"""`report`: the warehouse as one self-contained HTML page of charts and tables, read-only."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from iot_ingest.config import Config
from iot_ingest.errors import CommandFailed, UsageError
from iot_ingest.report.data import ReportData, load_report_data
from iot_ingest.report.page import CHART_IDS, render_page
from iot_ingest.warehouse import open_reader

__all__ = ["CHART_IDS", "ReportData", "write_report"]


def write_report(db_path: Path, config: Config, out: Path) -> str:
    """Write the report for the warehouse at `db_path` to `out`; return a one-line summary."""
    if out.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"--out {out}: the report is an HTML page, give a file ending in .html")
    if not out.parent.is_dir():
        raise UsageError(f"--out {out}: no such directory {out.parent}")
    with open_reader(db_path, config) as con:
        data = load_report_data(con)
    page = render_page(data, generated_at=datetime.now(UTC), database=db_path.name)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        partial.write_text(page, encoding="utf-8")
        partial.replace(out)
    except OSError as exc:
        raise CommandFailed(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return (
        f"{len(data.announcements)} announcements, {len(data.outlets)} outlets, "
        f"{len(data.institutes)} institutes named, {sum(r.problem for r in data.health)} health problems"
    )
