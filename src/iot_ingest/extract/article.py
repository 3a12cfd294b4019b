"""What extraction produces: a clean article, independent of where and how it was published."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["Article"]


@dataclass(frozen=True)
class Article:
    url: str  # where it was fetched
    canonical_url: str  # the article's identity URL (see urls.resolve_canonical)
    title: str | None
    body_text: str  # paragraphs separated by blank lines
    published_at: datetime | None
    updated_at: datetime | None
    publisher: str | None
    extractor_version: str  # "<adapter>/<version>"
    description: str | None = None
    language: str | None = None
    authors: tuple[str, ...] = field(default=())
    withdrawn: bool = False
    # Which candidate produced the body ("dom", "dom+up2", "container", "json-ld", ...): a query over
    # stored articles finds the pages where extraction fell back or looks off.
    extraction_path: str | None = None
