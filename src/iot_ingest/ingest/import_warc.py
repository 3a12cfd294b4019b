"""`import-warc`: the response records of WARC files into the archive and the warehouse, offline."""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Generator, Iterator
from pathlib import Path

from iot_ingest.archive import Capture, RawArchive, RecordProblem, WarcResponse, iter_warc
from iot_ingest.config import Config
from iot_ingest.errors import UsageError
from iot_ingest.ingest.batch import Ingestor
from iot_ingest.runs import session_logged_run
from iot_ingest.stats import RunStats
from iot_ingest.warehouse.target import CommandSessions

__all__ = ["IMPORT_SOURCE", "import_warcs"]

IMPORT_SOURCE = "warc-import"


def import_warcs(paths: list[Path], db_path: Path, config: Config, *, show_progress: bool | None = None) -> RunStats:
    """Import every response record of `paths`; returns the run's counts.

    Unreadable records are recorded in `ingest_errors` and skipped; the rest still load.
    """
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
    if show_progress is None:
        show_progress = sys.stderr.isatty()
    params = {"paths": [str(p) for p in paths]}
    # Reading the files, extracting and archiving hold nothing: each batch commits in a short
    # session, and the run log is written in the batches' sessions (the first and the last).
    target = CommandSessions(db_path, config)
    with (
        target,
        session_logged_run(target, "import-warc", params) as run,
        RawArchive(target.raw_dir, config.archive.max_file_bytes) as archive,
        Ingestor(target, archive, run.run_id, run.stats.load, topics=config.topic_set()) as ingestor,
        contextlib.closing(_each_file(paths, show_progress)) as files,
    ):
        for path in files:
            ingestor.add_all(_items(path.resolve()))
            run.stats.load.files += 1
        # The last batch commits as the ingestor closes; the run's end follows in that session.
        target.keep_next_commit_open()
    return run.stats


def _each_file(paths: list[Path], show_progress: bool) -> Generator[Path]:
    """`paths` one by one, behind a progress bar when shown. Rich is imported only then: it is a
    tenth of a second of the command's start-up, which a small import pays in full."""
    if not show_progress:
        yield from paths
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("importing WARC files", total=len(paths))
        for path in paths:
            progress.update(task, description=f"importing {path.name}")
            yield path
            progress.advance(task)


def _items(path: Path) -> Iterator[Capture | RecordProblem]:
    for item in iter_warc(path):
        if isinstance(item, WarcResponse):
            yield dataclasses.replace(item.capture, origin="import", source=IMPORT_SOURCE)
        else:
            yield item
