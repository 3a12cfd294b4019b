"""Deduplication: which captures are one article, and which articles copy another."""

from __future__ import annotations

from iot_ingest.dedup.exact import MIN_TEXT_FOR_IDENTITY, body_hash, normalise_text

__all__ = ["MIN_TEXT_FOR_IDENTITY", "body_hash", "normalise_text"]
