"""Ingest: captured responses into the raw archive and the warehouse."""

from __future__ import annotations

from iot_ingest.ingest.batch import Ingestor
from iot_ingest.ingest.import_warc import import_warcs
from iot_ingest.ingest.process import ExtractedCapture, process_capture

__all__ = ["ExtractedCapture", "Ingestor", "import_warcs", "process_capture"]
