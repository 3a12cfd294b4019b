"""Per-host politeness: a token bucket for the request rate, a cap on requests in flight, and a
pause that a 429's Retry-After (or robots.txt's Crawl-delay) imposes on the whole host."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from iot_ingest.fetch.settings import HostPolicy

__all__ = ["HostLimiter", "HostSlots"]


@dataclass
class HostSlots:
    policy: HostPolicy
    crawl_delay_s: float = 0.0
    next_start: float = 0.0  # monotonic time before which no request to this host may start
    semaphore: asyncio.Semaphore = field(init=False)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.semaphore = asyncio.Semaphore(self.policy.max_concurrency)

    @property
    def interval_s(self) -> float:
        return max(1.0 / self.policy.rate_limit, self.crawl_delay_s)


class HostLimiter:
    def __init__(self, global_concurrency: int) -> None:
        self._hosts: dict[str, HostSlots] = {}
        self._global = asyncio.Semaphore(global_concurrency)

    def slots(self, host: str, policy: HostPolicy) -> HostSlots:
        current = self._hosts.get(host)
        if current is None:
            current = self._hosts[host] = HostSlots(policy)
        elif policy != current.policy:
            stricter = current.policy.stricter(policy)
            if stricter != current.policy:
                # Two sources share a host: the stricter limits hold for both.
                current.policy = stricter
                current.semaphore = asyncio.Semaphore(stricter.max_concurrency)
        return current

    def set_crawl_delay(self, host: str, policy: HostPolicy, delay_s: float) -> None:
        self.slots(host, policy).crawl_delay_s = max(0.0, delay_s)

    def pause(self, host: str, policy: HostPolicy, seconds: float) -> None:
        """No request to `host` starts for `seconds` (a 429 penalises the client, not one URL)."""
        slots = self.slots(host, policy)
        slots.next_start = max(slots.next_start, time.monotonic() + seconds)

    @contextlib.asynccontextmanager
    async def request(self, host: str, policy: HostPolicy) -> AsyncIterator[None]:
        slots = self.slots(host, policy)
        semaphore = slots.semaphore
        # The host's own slot and pacing first: a host that must wait holds no global slot meanwhile.
        async with semaphore:
            async with slots.lock:
                wait = slots.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                slots.next_start = max(slots.next_start, time.monotonic()) + slots.interval_s
            async with self._global:
                yield
