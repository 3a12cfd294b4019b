"""Committing a scanned CC-NEWS file, and closing its window once every file is.

Runs in the process that runs the loop, one short session per file: the file's provenance, its
attempts, its records (already extracted on the worker) and its row in `ccnews_files` commit
together, so a file is either loaded and done or not at all, and the next run scans it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from iot_ingest.archive import Capture, RawArchive
from iot_ingest.ccnews.scan import FileScan
from iot_ingest.config import CCNewsSource, Config
from iot_ingest.ingest.batch import Ingestor
from iot_ingest.ingest.fetch_urls import fetch_row
from iot_ingest.ingest.ledger import WindowLedger
from iot_ingest.ingest.process import ExtractedCapture, process_capture
from iot_ingest.sources.base import Window
from iot_ingest.stats import CrawlStats, RunStats
from iot_ingest.warehouse.load import lookup
from iot_ingest.warehouse.sql_files import sql
from iot_ingest.warehouse.target import BriefSessions

__all__ = ["ScanFailed", "close_window", "commit_scan"]


@dataclass(frozen=True)
class ScanFailed:
    path: str
    reason: str


def commit_scan(
    target: BriefSessions,
    config: Config,
    source: CCNewsSource,
    span: Window,
    run_id: str,
    result: FileScan | ScanFailed,
) -> RunStats:
    stats = RunStats()
    if isinstance(result, ScanFailed):
        with target.committing() as warehouse:
            warehouse.con.execute(
                sql("ccnews.finish_file"), ["failed", result.reason[:1000], *[None] * 5, source.name, result.path]
            )
        stats.crawl.files_failed += 1
        return stats
    scanned = {r.item.capture.response_id: r.item for r in result.records}

    topics = config.topic_set()

    def extracted(captures: list[Capture]) -> list[ExtractedCapture]:
        # Extracted on the worker already; a capture the worker did not send is extracted here.
        return [scanned.get(c.response_id) or process_capture(c, topics) for c in captures]

    def accept(item: ExtractedCapture) -> str | None:
        if not item.relevant:
            return "not about any followed topic (archived for reprocessing)"
        published = item.article.published_at if item.article else None
        if published is not None and not span.holds(published):
            return f"published {published.date()}, outside the backfill {span}"
        return None

    c = result.counts
    prefiltered = c["off_host"] + c["prefiltered"]
    done = [c["records"], prefiltered, c["extracted"], c["relevant"], c["bytes"]]
    with (
        RawArchive(target.raw_dir, config.archive.max_file_bytes) as archive,
        # One batch for the whole file: it commits all at once, with its provenance and its row.
        Ingestor(
            target,
            archive,
            run_id,
            stats.load,
            batch_size=1 << 30,
            accept=accept,
            extract_many=extracted,
            topics=topics,
        ) as ingestor,
    ):
        ingestor.stage(
            "ccnews.insert_records",
            [
                {"response_id": r.item.capture.response_id, "path": result.path, "warc_offset": r.offset}
                for r in result.records
            ],
        )
        ingestor.stage("fetch.insert_fetches", [fetch_row(a, run_id, source.name, None) for a in result.attempts])
        ingestor.add_all(r.item.capture for r in result.records)
        ingestor.add_all(result.problems)
        ingestor.execute("ccnews.finish_file", ["done", None, *done, source.name, result.path])
    stats.units.announcements_new += ingestor.announcements_created
    stats.crawl += CrawlStats(
        files_done=1,
        records_read=c["records"],
        records_prefiltered=prefiltered,
        records_extracted=c["extracted"],
        records_relevant=c["relevant"],
        records_broken=c["broken"],
    )
    return stats


def close_window(
    target: BriefSessions, source: str, window: Window, run_id: str, paths: tuple[str, ...], failure: str | None
) -> RunStats:
    """Done once all its files are; failed (and retried by the next run, its done files skipped)
    otherwise, or when its plan failed (`failure`)."""
    stats = RunStats()
    ledger = WindowLedger(source, window)
    with target.committing() as warehouse:
        con = warehouse.con
        if failure is None:
            statuses = dict(lookup(con, "ccnews.file_statuses", [source] * len(paths), list(paths)))
            failed = sum(1 for path in paths if statuses.get(path) != "done")
            reason = f"{failed} of {len(paths)} WARC files failed (see ccnews_files)" if failed else None
            status, items = ("failed" if failed else "done"), len(paths)
        else:
            start, start_params = ledger.started(run_id)
            con.execute(sql(start), start_params)
            status, reason, items = "failed", failure, None
        statement, params = ledger.finished(status, reason, items)
        con.execute(sql(statement), params)
    if status == "done":
        stats.units.windows_done += 1
    else:
        stats.units.windows_failed += 1
    return stats
