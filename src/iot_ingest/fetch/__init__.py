"""Fetching: one polite, fault-tolerant HTTP client for every source."""

from __future__ import annotations

from iot_ingest.fetch.client import Fetcher
from iot_ingest.fetch.guard import AddressGuard, BlockedAddress
from iot_ingest.fetch.outcome import Attempt, FetchOutcome
from iot_ingest.fetch.settings import CONTENT_TYPES, Accept, FetchSettings, HostPolicy
from iot_ingest.fetch.validators import MemoryValidators, Validators, ValidatorStore

__all__ = [
    "CONTENT_TYPES",
    "Accept",
    "AddressGuard",
    "Attempt",
    "BlockedAddress",
    "FetchOutcome",
    "FetchSettings",
    "Fetcher",
    "HostPolicy",
    "MemoryValidators",
    "ValidatorStore",
    "Validators",
]
