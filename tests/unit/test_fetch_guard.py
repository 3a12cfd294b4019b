"""The SSRF guard, tested without sending a byte anywhere: a mock transport and a stub resolver."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from iot_ingest.fetch import AddressGuard, BlockedAddress, Fetcher, FetchOutcome, FetchSettings
from iot_ingest.fetch.guard import UnresolvedHost
from iot_ingest.fetch.retry import backoff_delay, parse_retry_after

DNS = {
    "www.gov.uk": ["151.101.0.144"],
    "evil.example": ["10.0.0.5"],
    "rebind.example": ["151.101.0.1", "192.168.1.1"],
    "metadata.example": ["169.254.169.254"],
    "v6.example": ["::1"],
    "mapped.example": ["::ffff:127.0.0.1"],
}


async def stub_resolver(host: str, port: int) -> list[str]:
    if host not in DNS:
        raise OSError("Name or service not known")
    return DNS[host]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example/",
        "http://rebind.example/",
        "http://metadata.example/latest/meta-data/",
        "http://v6.example/",
        "http://mapped.example/",
        "http://10.1.2.3/",
        "http://[::1]:8080/",
        "http://127.0.0.1/",
        "http://0.0.0.0/",
        "file:///etc/passwd",
        "ftp://www.gov.uk/x",
        "gopher://www.gov.uk/",
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 form of 169.254.169.254
        "http://[2002:7f00:1::1]/",  # 6to4 form of 127.0.0.1
    ],
)
def test_non_public_or_non_http_targets_are_blocked(url: str) -> None:
    guard = AddressGuard(frozenset(), stub_resolver)
    with pytest.raises(BlockedAddress):
        run(guard.check_url(url))


def test_public_hosts_and_allowed_private_hosts_pass() -> None:
    guard = AddressGuard(frozenset({"127.0.0.1", "evil.example"}), stub_resolver)
    run(guard.check_url("https://www.gov.uk/api/search.json"))
    run(guard.check_url("http://127.0.0.1:8000/"))
    run(guard.check_url("http://evil.example/"))


def _fetcher(handler: Any, **overrides: Any) -> Fetcher:
    settings = FetchSettings(user_agent="test/1 (+mailto:t@example.org)", respect_robots=False, **overrides)
    return Fetcher(settings, resolver=stub_resolver, transport=httpx.MockTransport(handler))


def test_a_redirect_to_a_private_address_is_not_followed() -> None:
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://metadata.example/latest/"})

    async def go() -> FetchOutcome:
        async with _fetcher(handler) as fetcher:
            return await fetcher.fetch("https://www.gov.uk/government/news/x")

    outcome = run(go())
    assert requested == ["https://www.gov.uk/government/news/x"]
    assert outcome.skipped and "169.254.169.254" in outcome.skipped
    assert outcome.capture is None


def test_a_connection_that_lands_on_a_private_address_is_dropped() -> None:
    class PrivatePeer:
        def get_extra_info(self, name: str) -> Any:
            return ("192.168.0.10", 443) if name == "server_addr" else None

    def handler(request: httpx.Request) -> httpx.Response:
        # DNS said public, but the socket connected somewhere private (rebinding).
        return httpx.Response(200, html="<p>internal</p>", extensions={"network_stream": PrivatePeer()})

    async def go() -> FetchOutcome:
        async with _fetcher(handler) as fetcher:
            return await fetcher.fetch("https://www.gov.uk/x")

    outcome = run(go())
    assert outcome.capture is None
    assert outcome.skipped and "192.168.0.10" in outcome.skipped


def test_retry_after_parsing() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_backoff_is_bounded_and_grows() -> None:
    import random

    rng = random.Random(7)
    delays = [max(backoff_delay(n, 0.5, 4.0, rng) for _ in range(200)) for n in range(6)]
    assert all(d <= 4.0 for d in delays)
    assert delays[0] <= 0.5 < delays[3]


def test_an_unresolvable_host_is_a_failure_to_retry_not_a_refusal() -> None:
    guard = AddressGuard(frozenset(), stub_resolver)
    with pytest.raises(UnresolvedHost):
        run(guard.check_url("http://unknown.example/"))

    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing may be sent")

    async def go() -> FetchOutcome:
        async with _fetcher(handler, max_attempts=2, backoff_base_s=0.01) as fetcher:
            return await fetcher.fetch("http://unknown.example/news")

    outcome = run(go())
    assert outcome.skipped is None
    assert outcome.error and "cannot resolve" in outcome.error
    assert len(outcome.attempts) == 2 and all(a.status is None for a in outcome.attempts)


@pytest.mark.parametrize(
    "respond",
    [
        lambda r: httpx.Response(302, headers={"Location": "http://[oops/x"}),
        lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"not gzip at all"),
    ],
)
def test_fetch_never_raises_on_hostile_responses(respond: Any) -> None:
    async def go() -> FetchOutcome:
        async with _fetcher(respond, max_attempts=1) as fetcher:
            return await fetcher.fetch("https://www.gov.uk/x")

    outcome = run(go())
    assert outcome.capture is None
    assert outcome.error


def test_fetch_never_raises_on_a_malformed_url() -> None:
    async def go() -> FetchOutcome:
        async with _fetcher(lambda r: httpx.Response(200)) as fetcher:
            return await fetcher.fetch("http://[::1/page")

    outcome = run(go())
    assert outcome.error or outcome.skipped
