"""The raw archive: WARC.gz files holding every response the product has ingested."""

from __future__ import annotations

from iot_ingest.archive.capture import Capture, payload_digest, response_id
from iot_ingest.archive.reader import RecordProblem, WarcResponse, iter_warc, read_archived
from iot_ingest.archive.writer import ArchivedAt, RawArchive

__all__ = [
    "ArchivedAt",
    "Capture",
    "RawArchive",
    "RecordProblem",
    "WarcResponse",
    "iter_warc",
    "payload_digest",
    "read_archived",
    "response_id",
]
