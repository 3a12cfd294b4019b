"""What a run did, in one format: a Markdown summary (the Prefect artifact of every flow run), and
for a terminal the same per-unit table followed by one line of totals."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from iot_ingest.runs import NewAnnouncement
from iot_ingest.stats import RunStats, total

__all__ = ["COLUMNS", "print_counts", "print_summary", "summary_markdown", "write_table"]

# (counts key, column heading), in the order an operator reads a run: found, fetched, kept.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("discovered", "discovered"),
    ("fetched", "fetched"),
    ("not_modified", "not modified"),
    ("failed", "failed"),
    ("relevant_sightings", "relevant"),
    ("articles_new", "new articles"),
    ("copy_relations", "copies found"),
    ("announcements_new", "new announcements"),
)


def summary_markdown(
    flow: str,
    run_id: str,
    status: str,
    per_unit: Mapping[str, RunStats],
    new: Sequence[NewAnnouncement],
    *,
    unit: str = "source",
) -> str:
    """The run's counts per source (or window) and its new announcements, linked to their originals."""
    lines = [f"# {flow} run `{run_id}`: {status}", ""]
    if per_unit:
        lines += [
            "| " + " | ".join([unit, *(title for _, title in COLUMNS)]) + " |",
            "|" + "---|" * (len(COLUMNS) + 1),
        ]
        for name, stats in per_unit.items():
            counts = stats.as_dict()
            lines.append("| " + " | ".join([_cell(name), *(str(counts.get(key, 0)) for key, _ in COLUMNS)]) + " |")
        if len(per_unit) > 1:
            totals = total(per_unit.values()).as_dict()
            lines.append("| **all** | " + " | ".join(f"**{totals.get(key, 0)}**" for key, _ in COLUMNS) + " |")
    else:
        lines.append(f"No {unit} was run.")
    lines += ["", f"## New announcements ({len(new)})", ""]
    if new:
        lines += ["| announced | headline | institutes | funding | articles | original |", "|---|---|---|---|---|---|"]
        for item in new:
            original = f"[{_cell(item.publisher or 'link')}]({item.url})" if item.url else ""
            lines.append(
                f"| {item.announced_on or ''} | {_cell(item.headline or '')} | {_blank(item.institute_count)} "
                f"| {_pounds(item.funding_gbp)} | {_blank(item.article_count)} | {original} |"
            )
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def print_summary(command: str, per_unit: Mapping[str, RunStats], *, unit: str, out: TextIO | None = None) -> None:
    """What `run`, `backfill` and the demo print, with Prefect or without: the table, then the totals."""
    stream = out or sys.stdout
    write_table(per_unit, stream, unit=unit)
    print_counts(command, total(per_unit.values()), stream)


def print_counts(command: str, stats: RunStats, out: TextIO | None = None) -> None:
    """One line of a run's non-zero counts, `command: name: n, ...` (scripts read it)."""
    parts = ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in stats.as_dict().items())
    print(f"{command}: {parts or 'nothing to do'}", file=out or sys.stdout)


def write_table(per_unit: Mapping[str, RunStats], out: TextIO, *, unit: str = "source") -> None:
    """The same per-source counts for a terminal: a rich table on a tty, tab-separated lines otherwise."""
    if not per_unit:
        return
    if out.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(unit, *(title for _, title in COLUMNS))
        for name, stats in per_unit.items():
            counts = stats.as_dict()
            table.add_row(name, *(str(counts.get(key, 0)) for key, _ in COLUMNS))
        Console(file=out).print(table)
        return
    out.write("\t".join([unit, *(title for _, title in COLUMNS)]) + "\n")
    for name, stats in per_unit.items():
        counts = stats.as_dict()
        out.write("\t".join([name, *(str(counts.get(key, 0)) for key, _ in COLUMNS)]) + "\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _blank(value: int | None) -> str:
    return "" if value is None else str(value)


def _pounds(value: int | None) -> str:
    if value is None:
        return ""
    if value >= 10**9:
        return f"£{value / 10**9:g}bn"
    if value >= 10**6:
        return f"£{value / 10**6:g}m"
    return f"£{value:,}"
