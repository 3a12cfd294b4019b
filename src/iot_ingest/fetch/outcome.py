"""What one fetch produced: every HTTP attempt, and the response (or why there is none)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from iot_ingest.archive import Capture

__all__ = ["Attempt", "FetchOutcome"]


@dataclass(frozen=True)
class Attempt:
    """One HTTP request (a retry or a redirect hop is another attempt); a `fetches` row."""

    url: str
    requested_at: datetime
    status: int | None  # None on a network error or when refused before sending
    error: str | None
    elapsed_ms: float
    bytes: int


@dataclass
class FetchOutcome:
    url: str
    source: str | None = None
    final_url: str | None = None
    status: int | None = None
    capture: Capture | None = None  # a response with a body (any status), to archive
    not_modified: bool = False
    skipped: str | None = None  # refused before any request: robots.txt, address guard, ...
    error: str | None = None  # what still failed after the retries
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.capture is not None and self.status is not None and 200 <= self.status < 300
