"""The run summary (the Prefect artifact of every flow run) and the progress display."""

from __future__ import annotations

import io
from datetime import date

from iot_ingest import progress
from iot_ingest.run_summary import print_summary, summary_markdown, write_table
from iot_ingest.runs import NewAnnouncement
from iot_ingest.stats import RunStats

FIRST_WAVE = NewAnnouncement(
    announcement_id="a1",
    announced_on=date(2019, 4, 10),
    headline="The First Twelve Institutes of Technology | Announced",
    institute_count=12,
    funding_gbp=170_000_000,
    article_count=5,
    url="https://www.gov.uk/government/news/the-first-twelve-institutes-of-technology-announced",
    publisher="GOV.UK",
)


def test_summary_counts_each_source_totals_them_and_links_new_announcements() -> None:
    markdown = summary_markdown(
        "ingest",
        "run-1",
        "completed",
        {
            "govuk": RunStats.from_dict({"discovered": 3, "fetched": 4, "articles_new": 3}),
            "feweek": RunStats.from_dict({"fetched": 2, "not_modified": 1}),
        },
        [FIRST_WAVE],
    )
    lines = markdown.splitlines()
    assert lines[0] == "# ingest run `run-1`: completed"
    header = next(line for line in lines if line.startswith("| source |"))
    assert "| not modified |" in header and "| new announcements |" in header
    assert "| govuk | 3 | 4 | 0 | 0 | 0 | 3 | 0 | 0 |" in lines
    assert "| **all** | **3** | **6** | **1** | **0** | **0** | **3** | **0** | **0** |" in lines
    assert "## New announcements (1)" in lines
    row = next(line for line in lines if line.startswith("| 2019-04-10"))
    # A pipe in a headline cannot break the table; the sum reads as analysts write it.
    assert "Technology \\| Announced" in row and "| £170m |" in row and "[GOV.UK](https://www.gov.uk/" in row


def test_summary_of_a_run_that_found_nothing() -> None:
    markdown = summary_markdown("backfill", "run-2", "completed", {}, [], unit="window")
    assert "No window was run." in markdown and "## New announcements (0)" in markdown


def test_table_for_a_pipe_is_tab_separated() -> None:
    out = io.StringIO()
    write_table({"govuk": RunStats.from_dict({"fetched": 4})}, out)
    header, row = out.getvalue().splitlines()
    assert header.split("\t")[:3] == ["source", "discovered", "fetched"]
    assert row.split("\t")[:3] == ["govuk", "0", "4"]


def test_progress_bars_cost_nothing_when_off_and_count_when_on() -> None:
    with progress.bar("pages", 3) as off:
        off.advance()  # no display: nothing to do, nothing raised
    with progress.enabled(when=True):
        display = progress._display
        assert display is not None
        with progress.bar("pages", 3) as on:
            on.advance(2)
            (task,) = display.tasks
            assert (task.completed, task.total) == (2, 3)
        assert display.tasks == []
    assert progress._display is None


def test_the_terminal_summary_is_the_table_then_one_line_of_totals() -> None:
    out = io.StringIO()
    per_window = {
        "govuk 2019-03-01..2019-03-31": RunStats.from_dict({"windows_done": 1, "fetched": 2}),
        "govuk 2019-04-01..2019-04-30": RunStats.from_dict({"windows_skipped": 1}),
    }
    print_summary("backfill", per_window, unit="window", out=out)
    *table, totals = out.getvalue().splitlines()
    assert table[0].startswith("window\t") and len(table) == 3
    assert totals == "backfill: fetched: 2, windows done: 1, windows skipped: 1"
