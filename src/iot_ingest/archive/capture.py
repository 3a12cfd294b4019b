"""A captured HTTP response: what the archive stores and every later stage reads."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = ["Capture", "payload_digest", "response_id"]


def payload_digest(body: bytes) -> str:
    """WARC-Payload-Digest form: `sha1:` and the base32 SHA-1 of the payload."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def response_id(url: str, fetched_at: datetime, digest: str) -> str:
    """A stable key for one capture. WARC-Date has whole seconds, so the key does too: a capture
    re-imported from the archive's own files maps to the same key."""
    when = fetched_at.astimezone(UTC).replace(microsecond=0).isoformat()
    return hashlib.sha256(f"{url}\n{when}\n{digest}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Capture:
    """One HTTP response, its body decoded of transfer and content encodings."""

    url: str
    fetched_at: datetime
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    origin: str = "import"  # import | fetch
    source: str | None = None
    digest: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        if not self.digest:
            object.__setattr__(self, "digest", payload_digest(self.body))

    @property
    def response_id(self) -> str:
        return response_id(self.url, self.fetched_at, self.digest)

    @property
    def content_type(self) -> str:
        return self.header("content-type") or ""

    @property
    def mime_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None
