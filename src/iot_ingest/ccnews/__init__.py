"""Common Crawl News: backfilling from CC-NEWS's monthly WARC files, one file per unit of work."""

from __future__ import annotations

from iot_ingest.ccnews.scan import FileScan, ScannedRecord, ScanTask, scan_file

__all__ = ["FileScan", "ScanTask", "ScannedRecord", "scan_file"]
