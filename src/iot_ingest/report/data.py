"""What the report shows, read from the analysts' views into plain rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from iot_ingest.warehouse.sql_files import sql

__all__ = ["Announcement", "HealthRow", "Institute", "Outlet", "ReportData", "load_report_data"]


@dataclass(frozen=True)
class Announcement:
    announced_on: date | None
    headline: str | None
    institute_count: int | None
    funding_gbp: int | None
    original_publisher: str | None
    original_url: str | None
    articles: int
    sightings: int
    outlets: int
    institutes: list[str]


@dataclass(frozen=True)
class Institute:
    name: str
    lead_provider: str | None
    wave: int | None
    status: str
    announced_on: date | None
    opened_on: date | None
    announcements: int
    articles: int
    outlets: int
    sums_mentioned_gbp: list[int] | None


@dataclass(frozen=True)
class Outlet:
    outlet: str | None
    articles: int
    originals: int
    copies: int
    own_reports: int
    sightings: int
    median_lag_hours: float | None


@dataclass(frozen=True)
class HealthRow:
    area: str
    subject: str | None
    status: str | None
    total: int
    last_at: datetime | None
    detail: str | None
    problem: bool


@dataclass(frozen=True)
class ReportData:
    announcements: list[Announcement]
    institutes: list[Institute]
    outlets: list[Outlet]
    health: list[HealthRow]


def load_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    return ReportData(
        announcements=[Announcement(*row) for row in con.execute(sql("report.announcements")).fetchall()],
        institutes=[Institute(*row) for row in con.execute(sql("report.institutes")).fetchall()],
        outlets=[Outlet(*row) for row in con.execute(sql("report.coverage")).fetchall()],
        health=[HealthRow(*row) for row in con.execute(sql("report.health")).fetchall()],
    )
