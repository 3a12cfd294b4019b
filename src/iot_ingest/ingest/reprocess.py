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
from iot_ingest.ingest.process import ExtractedCapture
from iot_ingest.runs import recorded_run
from iot_ingest.stats import RunStats
from iot_ingest.warehouse import open_writer
from iot_ingest.warehouse.load import insert_batch
from iot_ingest.warehouse.sql_files import sql

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
    with (
        open_writer(db_path, config) as warehouse,
        recorded_run(warehouse.con, "reprocess", {}, run_id) as run,
    ):
        con = warehouse.con
        located = con.execute(sql("load.archived_responses")).fetchall()
        missing = []
        con.begin()
        try:
            con.execute(sql("load.clear_derived"))
            with (
                RawArchive(warehouse.raw_dir, config.archive.max_file_bytes) as archive,
                Ingestor(
                    warehouse, archive, run.run_id, run.stats.load, own_transactions=False, extract_many=extract_many
                ) as ingestor,
            ):
                for file, offset, length, origin, source, role in located:
                    try:
                        capture = read_archived(warehouse.raw_dir, file, offset, length)
                    except (OSError, ValueError) as exc:
                        missing.append((file, offset, f"cannot read the archived record: {exc}"))
                        continue
                    capture = dataclasses.replace(capture, origin=origin, source=source)
                    ingestor.add_archived(capture, ArchivedAt(file, offset, length), extract=role != "discovery")
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
            run.stats.load.announcements = refresh_announcements(con)
            con.commit()
        except CommandFailed:
            raise
        except BaseException:
            con.rollback()
            raise
        run.stats.load.unreadable += len(missing)
    return run.stats
