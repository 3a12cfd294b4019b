"""What the flows share: resolving their parameters, and the artifact each run leaves."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from iot_ingest.config import Config, load_config
from iot_ingest.run_summary import summary_markdown
from iot_ingest.runs import Run, new_announcements
from iot_ingest.warehouse import default_db_path, open_reader


def settings(db: str | None, config: str | None) -> tuple[Path, Config]:
    """Flow parameters are strings, so deployments can set them; None means the CLI's defaults."""
    return (Path(db) if db else default_db_path()), load_config(Path(config) if config else None)


def run_id() -> str | None:
    """The Prefect flow run's id, so the warehouse's `runs` row and Prefect's run are one run."""
    return flow_run.get_id()


@contextlib.contextmanager
def summarised(
    flow: str, run: Run, per_unit: Mapping[str, Mapping[str, int]], db_path: Path, config: Config, unit: str
) -> Iterator[None]:
    """Leave the run's Markdown summary as a Prefect artifact when the block ends, failed or not."""
    try:
        yield
    except Exception:
        try:
            leave_artifact(flow, run, "failed", per_unit, db_path, config, unit)
        except Exception as exc:  # the run's own error is the one to report
            get_run_logger().warning("no summary for the failed %s run: %s", flow, exc)
        raise
    leave_artifact(flow, run, "completed", per_unit, db_path, config, unit)


def leave_artifact(
    flow: str,
    run: Run,
    status: str,
    per_unit: Mapping[str, Mapping[str, int]],
    db_path: Path,
    config: Config,
    unit: str,
) -> str:
    """Write the run's Markdown summary as a Prefect artifact and return it."""
    with open_reader(db_path, config) as con:
        new = new_announcements(con, run)
    markdown = summary_markdown(flow, run.run_id, status, per_unit, new, unit=unit)
    create_markdown_artifact(
        markdown, key=f"{flow}-summary", description=f"What the {flow} run fetched, found and loaded"
    )
    get_run_logger().info("%s run %s (%s): %d new announcement(s)", flow, run.run_id, status, len(new))
    return markdown
