"""The offline demo: sample sites served on 127.0.0.1, read by the real `ingest` flow, and shown."""

from __future__ import annotations

from iot_ingest.demo.run import DEMO_QUERIES, run_demo
from iot_ingest.demo.samples import sample_captures, sample_pages, write_sample_warc

__all__ = ["DEMO_QUERIES", "run_demo", "sample_captures", "sample_pages", "write_sample_warc"]
