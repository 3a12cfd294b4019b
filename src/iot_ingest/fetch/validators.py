"""Conditional GET state: the ETag and Last-Modified last seen for each URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["MemoryValidators", "ValidatorStore", "Validators"]


@dataclass(frozen=True)
class Validators:
    etag: str | None
    last_modified: str | None

    def headers(self) -> dict[str, str]:
        sent = {}
        if self.etag:
            sent["If-None-Match"] = self.etag
        if self.last_modified:
            sent["If-Modified-Since"] = self.last_modified
        return sent


class ValidatorStore(Protocol):
    def get(self, url: str) -> Validators | None: ...

    def put(self, url: str, validators: Validators) -> None: ...


class MemoryValidators:
    def __init__(self) -> None:
        self.by_url: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        return self.by_url.get(url)

    def put(self, url: str, validators: Validators) -> None:
        self.by_url[url] = validators
