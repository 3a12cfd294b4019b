"""`reprocess`: re-extract and re-deduplicate everything from the raw archive, with no network.

Articles, their URLs and sightings are rebuilt in one transaction: a failure or a kill leaves the
warehouse as it was, and a re-run starts over.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from iot_ingest.archive import ArchivedAt, Capture, RawArchive, read_archived
from iot_ingest.config import Config
from iot_ingest.errors import CommandFailed
from iot_ingest.ingest.batch import Ingestor, error_row
from iot_ingest.ingest.dedup_step import refresh_announcements
from iot_ingest.ingest.process import ExtractedCapture, process_capture
from iot_ingest.runs import recorded_run
from iot_ingest.stats import RunStats
from iot_ingest.warehouse import open_writer
from iot_ingest.warehouse.load import insert_batch
from iot_ingest.warehouse.sql_files import sql
from iot_ingest.warehouse.target import HeldWarehouse

__all__ = ["reprocess"]


def reprocess(
    db_path: Path,
    config: Config,
    *,
    run_id: str | None = None,
    extract_many: Callable[[list[Capture]], list[ExtractedCapture]] | None = None,
    allow_missing: bool = False,
) -> RunStats:
    """Rebuild everything derived from the raw archive. `extract_many` may spread extraction out.

    If an archived record cannot be read (the archive was not copied with the database, or
    `[archive] dir` changed), nothing is rebuilt: the derived tables would lose what only that
    record holds. `allow_missing` rebuilds without such records.
    """
    # Reading the archive and extracting (the slow part) hold nothing; the rebuild is then one
    # transaction. Records archived meanwhile by another writer are extracted inside it.
    with open_writer(db_path, config, publish=False) as warehouse:
        located = warehouse.con.execute(sql("load.archived_responses")).fetchall()
        raw_dir = warehouse.raw_dir
    captures, missing = _read_archive(raw_dir, located)
    topics = config.topic_set()
    spread = extract_many or (lambda batch: [process_capture(c, topics) for c in batch])
    extracted = {item.capture.response_id: item for item in spread([c for c, extract in captures.values() if extract])}

    def ready(batch: list[Capture]) -> list[ExtractedCapture]:
        late = [c for c in batch if c.response_id not in extracted]
        done = {item.capture.response_id: item for item in spread(late)} if late else {}
        return [extracted.get(c.response_id) or done[c.response_id] for c in batch]

    with (
        open_writer(db_path, config) as warehouse,
        recorded_run(warehouse.con, "reprocess", {}, run_id) as run,
    ):
        con = warehouse.con
        located = con.execute(sql("load.archived_responses")).fetchall()
        tried = set(captures) | {(file, offset) for file, offset, _ in missing}
        late_captures, late_missing = _read_archive(warehouse.raw_dir, [r for r in located if _key(r) not in tried])
        captures.update(late_captures)
        missing += late_missing
        con.begin()
        try:
            con.execute(sql("load.clear_derived"))
            with (
                RawArchive(warehouse.raw_dir, config.archive.max_file_bytes) as archive,
                Ingestor(
                    HeldWarehouse(warehouse), archive, run.run_id, run.stats.load, extract_many=ready, topics=topics
                ) as ingestor,
            ):
                for row in located:
                    if _key(row) not in captures:
                        continue
                    file, offset, length = row[0], row[1], row[2]
                    capture, extract = captures[_key(row)]
                    ingestor.add_archived(capture, ArchivedAt(file, offset, length), extract=extract)
            now = datetime.now(UTC)
            errors = [error_row(run.run_id, "reprocess", f"{f}:{o}", None, why, now) for f, o, why in missing]
            if missing and not allow_missing:
                con.rollback()
                insert_batch(con, "load.insert_errors", errors)
                file, offset, why = missing[0]
                raise CommandFailed(
                    f"{len(missing)} archived record(s) cannot be read (first: {file}:{offset}: {why}); "
                    f"the warehouse is unchanged. Put the raw archive back in {warehouse.raw_dir}, or pass "
                    "--allow-missing to rebuild without those records"
                )
            insert_batch(con, "load.insert_errors", errors)
            # Also when no article came back at all: announcements must never point at cleared rows.
            run.stats.load.announcements = refresh_announcements(con, None, topics)
            con.commit()
        except CommandFailed:
            raise
        except BaseException:
            con.rollback()
            raise
        run.stats.load.unreadable += len(missing)
    return run.stats


_Located = tuple[str, int, int, str, str, str]


def _key(row: tuple[object, ...]) -> tuple[object, object]:
    return row[0], row[1]


def _read_archive(
    raw_dir: Path, located: list[_Located]
) -> tuple[dict[tuple[object, object], tuple[Capture, bool]], list[tuple[str, int, str]]]:
    """Every located record read back (with whether it is extracted: discovery pages are not), and
    those that cannot be read."""
    captures: dict[tuple[object, object], tuple[Capture, bool]] = {}
    missing = []
    for file, offset, length, origin, source, role in located:
        try:
            capture = read_archived(raw_dir, file, offset, length)
        except (OSError, ValueError) as exc:
            missing.append((file, offset, f"cannot read the archived record: {exc}"))
            continue
        captures[(file, offset)] = (dataclasses.replace(capture, origin=origin, source=source), role != "discovery")
    return captures, missing
