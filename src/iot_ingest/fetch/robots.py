"""robots.txt per host (RFC 9309), cached with a TTL.

2xx: the rules apply. 4xx: no rules, everything allowed. 5xx or unreachable: everything
disallowed for now (checked again after a shorter TTL).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from protego import Protego

__all__ = ["RobotsCache", "RobotsRules"]

_MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB


@dataclass(frozen=True)
class RobotsRules:
    parser: Protego | None
    allow_all: bool
    disallow_all: bool
    expires_at: float
    reason: str

    def allows(self, url: str, user_agent: str) -> bool:
        if self.disallow_all:
            return False
        if self.allow_all or self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay else 0.0


# (status or None on a network error, body) for a robots.txt URL.
RobotsFetch = Callable[[str], Awaitable[tuple[int | None, bytes]]]


class RobotsCache:
    def __init__(self, fetch: RobotsFetch, ttl_s: float, error_ttl_s: float) -> None:
        self._fetch = fetch
        self._ttl_s = ttl_s
        self._error_ttl_s = error_ttl_s
        self._rules: dict[str, RobotsRules] = {}
        self._pending: dict[str, asyncio.Task[RobotsRules]] = {}

    async def rules_for(self, origin: str) -> RobotsRules:
        """Rules for an origin such as `https://www.gov.uk`; fetched once however many ask at once."""
        cached = self._rules.get(origin)
        if cached is not None and cached.expires_at > time.monotonic():
            return cached
        pending = self._pending.get(origin)
        if pending is None:
            pending = self._pending[origin] = asyncio.ensure_future(self._load(origin))
            pending.add_done_callback(lambda _: self._pending.pop(origin, None))
        return await asyncio.shield(pending)

    async def _load(self, origin: str) -> RobotsRules:
        status, body = await self._fetch(f"{origin}/robots.txt")
        now = time.monotonic()
        if status is not None and 200 <= status < 300:
            text = body[:_MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
            rules = RobotsRules(Protego.parse(text), False, False, now + self._ttl_s, "robots.txt")
        elif status is not None and 400 <= status < 500:
            rules = RobotsRules(None, True, False, now + self._ttl_s, f"robots.txt {status}: allow all")
        else:
            why = f"robots.txt {status}" if status is not None else "robots.txt unreachable"
            rules = RobotsRules(None, False, True, now + self._error_ttl_s, f"{why}: disallow for now")
        self._rules[origin] = rules
        return rules
