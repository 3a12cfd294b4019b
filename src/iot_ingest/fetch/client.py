"""The one HTTP client every source fetches through: polite, retried, conditional, bounded, guarded.

A fetch never raises for a network or HTTP problem: it returns a FetchOutcome with every attempt
(each retry and redirect hop) for the `fetches` table, and the response body, when there is one,
for the raw archive.
"""

from __future__ import annotations

import asyncio
import random
import ssl
import time
from datetime import UTC, datetime
from functools import cache
from urllib.parse import urljoin, urlsplit

import httpx

from iot_ingest.archive import Capture
from iot_ingest.fetch.guard import AddressGuard, BlockedAddress, Resolver, UnresolvedHost, system_resolver
from iot_ingest.fetch.hosts import HostLimiter
from iot_ingest.fetch.outcome import Attempt, FetchOutcome
from iot_ingest.fetch.retry import RETRY_STATUSES, backoff_delay, parse_retry_after
from iot_ingest.fetch.robots import RobotsCache
from iot_ingest.fetch.settings import CONTENT_TYPES, Accept, FetchSettings, HostPolicy
from iot_ingest.fetch.validators import MemoryValidators, Validators, ValidatorStore

__all__ = ["Fetcher"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_POLICY = HostPolicy()
_ROBOTS_MAX_BYTES = 500 * 1024


class _Refused(Exception):
    """The response is not one to keep (type not allowed, too big): recorded with the status the
    server answered, so it is not taken for a failure to retry (the sweep retries network errors,
    5xx and 429 only)."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


class _Retryable(Exception):
    """A fault worth another attempt (network error, timeout, 5xx, 429)."""

    def __init__(self, message: str, wait_s: float | None = None) -> None:
        super().__init__(message)
        self.wait_s = wait_s


@cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default verification (certifi's roots), built once per process: loading the roots takes
    ~25 ms, and a backfill makes a fetcher per window."""
    return httpx.create_ssl_context()


class Fetcher:
    """Use as `async with Fetcher(settings) as fetcher: outcome = await fetcher.fetch(url, policy)`."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        validators: ValidatorStore | None = None,
        resolver: Resolver = system_resolver,
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.validators = validators if validators is not None else MemoryValidators()
        self.guard = AddressGuard(settings.allow_private_hosts, resolver)
        self.hosts = HostLimiter(settings.global_concurrency)
        self.robots = RobotsCache(self._fetch_robots, settings.robots_ttl_s, settings.robots_error_ttl_s)
        self._rng = rng or random.Random()
        self._policies: dict[str, HostPolicy] = {}
        self._robots_attempts: list[Attempt] = []
        self._robots_captures: list[Capture] = []
        timeout = httpx.Timeout(
            connect=settings.connect_timeout_s,
            read=settings.read_timeout_s,
            write=settings.read_timeout_s,
            pool=settings.total_timeout_s,
        )
        self._client = httpx.AsyncClient(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
            verify=_tls_context(),
            limits=httpx.Limits(max_connections=settings.global_concurrency, max_keepalive_connections=32),
            trust_env=False,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    def drain_robots(self) -> tuple[list[Attempt], list[Capture]]:
        """robots.txt attempts and responses since the last call: they are fetches and responses too."""
        attempts, captures = self._robots_attempts, self._robots_captures
        self._robots_attempts, self._robots_captures = [], []
        return attempts, captures

    async def fetch(
        self,
        url: str,
        policy: HostPolicy = _DEFAULT_POLICY,
        source: str | None = None,
        *,
        conditional: bool = True,
        accept: Accept = "page",
    ) -> FetchOutcome:
        """Never raises for bad input or network trouble: that is what the outcome records. `accept`
        says what the request is for (settings.CONTENT_TYPES): a response of another type is refused."""
        outcome = FetchOutcome(url=url, source=source)
        try:
            return await self._fetch(outcome, policy, conditional, CONTENT_TYPES[accept])
        except (ValueError, httpx.InvalidURL, httpx.HTTPError) as exc:
            outcome.error = _describe(exc)
            outcome.attempts.append(_attempt(outcome.url, None, outcome.error, 0.0, 0, datetime.now(UTC)))
            return outcome

    async def _fetch(
        self, outcome: FetchOutcome, policy: HostPolicy, conditional: bool, allowed: frozenset[str]
    ) -> FetchOutcome:
        url, source = outcome.url, outcome.source
        current = url
        seen = {url}
        for _hop in range(self.settings.max_redirects + 1):
            refusal = await self._refusal(current, policy)
            if refusal:
                outcome.skipped = refusal
                outcome.attempts.append(_attempt(current, None, refusal, 0.0, 0, datetime.now(UTC)))
                return outcome
            # Every hop carries what is known of its own URL: a redirect target fetched before is
            # then a 304, not a fresh download on every run.
            response = await self._with_retries(current, policy, outcome, allowed, conditional=conditional)
            if response is None:
                return outcome
            status, headers, body = response
            if status in _REDIRECTS and headers.get("location"):
                target = urljoin(current, headers["location"])
                if target in seen:
                    outcome.error = f"redirect loop at {target}"
                    return outcome
                seen.add(target)
                current = target
                continue
            outcome.final_url, outcome.status = current, status
            if status == 304:
                outcome.not_modified = True
                return outcome
            outcome.capture = Capture(
                url=current,
                fetched_at=outcome.attempts[-1].requested_at,
                status=status,
                headers=tuple(headers.multi_items()),
                body=body,
                origin="fetch",
                source=source,
            )
            if 200 <= status < 300:
                etag, modified = headers.get("etag"), headers.get("last-modified")
                if etag or modified:
                    self.validators.put(current, Validators(etag, modified))
            if status >= 400:
                outcome.error = f"HTTP {status}"
            return outcome
        outcome.error = f"more than {self.settings.max_redirects} redirects"
        return outcome

    async def _refusal(self, url: str, policy: HostPolicy) -> str | None:
        try:
            await self.guard.check_url(url)
        except BlockedAddress as exc:
            return f"blocked: {exc}"
        except UnresolvedHost:
            return None  # not a refusal: the request itself fails, is recorded, and is retried
        if not self.settings.respect_robots:
            return None
        parts = urlsplit(url)
        host = parts.hostname or ""
        self._policies.setdefault(f"{parts.scheme}://{parts.netloc}", policy)
        rules = await self.robots.rules_for(f"{parts.scheme}://{parts.netloc}")
        self.hosts.set_crawl_delay(host, policy, rules.crawl_delay(self.settings.user_agent))
        if not rules.allows(url, self.settings.user_agent):
            return f"disallowed by {rules.reason}"
        return None

    async def _with_retries(
        self, url: str, policy: HostPolicy, outcome: FetchOutcome, allowed: frozenset[str], *, conditional: bool
    ) -> tuple[int, httpx.Headers, bytes] | None:
        host = urlsplit(url).hostname or ""
        extra = {}
        if conditional:
            known = self.validators.get(url)
            if known is not None:
                extra = known.headers()
        for attempt in range(self.settings.max_attempts):
            started = datetime.now(UTC)
            clock = time.monotonic()
            try:
                async with self.hosts.request(host, policy):
                    # When the request went out, not when it joined the host's queue.
                    started, clock = datetime.now(UTC), time.monotonic()
                    status, headers, body = await asyncio.wait_for(
                        self._one_request(url, extra, allowed), timeout=self.settings.total_timeout_s
                    )
            except _Refused as exc:
                outcome.attempts.append(_attempt(url, exc.status, str(exc), _ms(clock), 0, started))
                outcome.error = str(exc)
                return None
            except (
                _Retryable,
                httpx.TransportError,
                httpx.DecodingError,
                TimeoutError,
                BlockedAddress,
                UnresolvedHost,
            ) as exc:
                message = _describe(exc)
                outcome.attempts.append(_attempt(url, None, message, _ms(clock), 0, started))
                if isinstance(exc, BlockedAddress):
                    outcome.skipped = f"blocked: {exc}"
                    return None
                if attempt + 1 >= self.settings.max_attempts:
                    outcome.error = f"{message} (after {attempt + 1} attempts)"
                    return None
                await asyncio.sleep(
                    backoff_delay(attempt, self.settings.backoff_base_s, self.settings.backoff_cap_s, self._rng)
                )
                continue
            outcome.attempts.append(_attempt(url, status, None, _ms(clock), len(body), started))
            if status in RETRY_STATUSES and attempt + 1 < self.settings.max_attempts:
                wait = parse_retry_after(headers.get("retry-after"))
                if wait is not None:
                    wait = min(wait, self.settings.retry_after_cap_s)
                    if status == 429:
                        self.hosts.pause(host, policy, wait)
                else:
                    wait = backoff_delay(attempt, self.settings.backoff_base_s, self.settings.backoff_cap_s, self._rng)
                await asyncio.sleep(wait)
                continue
            return status, headers, body
        return None  # unreachable: the loop returns on its last attempt

    async def _one_request(
        self, url: str, extra: dict[str, str], allowed: frozenset[str]
    ) -> tuple[int, httpx.Headers, bytes]:
        await self.guard.check_url(url)  # again, right before the request: DNS answers change
        async with self._client.stream("GET", url, headers=extra) as response:
            self._check_peer(url, response)
            status, headers = response.status_code, response.headers
            if status in _REDIRECTS or status == 304:
                return status, headers, b""
            mime = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if 200 <= status < 300 and mime and mime not in allowed:
                raise _Refused(f"content type {mime} is not allowed", status)
            declared = headers.get("content-length", "")
            limit = self.settings.max_body_bytes
            if declared.isdigit() and int(declared) > limit and "content-encoding" not in headers:
                raise _Refused(f"body of {declared} bytes is over the {limit}-byte limit", status)
            chunks = bytearray()
            async for chunk in response.aiter_bytes():
                chunks += chunk
                if len(chunks) > limit:
                    raise _Refused(f"body over the {limit}-byte limit", status)
        return status, headers, bytes(chunks)

    def _check_peer(self, url: str, response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        if stream is None:
            return
        peer = stream.get_extra_info("server_addr")
        if peer:
            self.guard.check_address(urlsplit(url).hostname or "", str(peer[0]))

    async def _fetch_robots(self, robots_url: str) -> tuple[int | None, bytes]:
        parts = urlsplit(robots_url)
        policy = self._policies.get(f"{parts.scheme}://{parts.netloc}", _DEFAULT_POLICY)
        outcome = FetchOutcome(url=robots_url)
        current, seen = robots_url, {robots_url}
        for _hop in range(self.settings.max_redirects + 1):
            response = await self._robots_request(current, policy, outcome)
            if response is None:
                break
            status, headers, body = response
            if status in _REDIRECTS and headers.get("location"):
                current = urljoin(current, headers["location"])
                if current in seen:
                    break
                seen.add(current)
                continue
            self._robots_attempts.extend(outcome.attempts)
            self._robots_captures.append(
                Capture(current, outcome.attempts[-1].requested_at, status, tuple(headers.multi_items()), body, "fetch")
            )
            return status, body
        self._robots_attempts.extend(outcome.attempts)
        return None, b""

    async def _robots_request(
        self, url: str, policy: HostPolicy, outcome: FetchOutcome
    ) -> tuple[int, httpx.Headers, bytes] | None:
        # robots.txt is text/plain, but it is read whatever type it is served as: refusing one sent as
        # text/html would mean crawling as if the site had no rules. The address guard and a streamed
        # size cap apply; past the cap the rest is not read (RFC 9309 asks for 500 KiB).
        host = urlsplit(url).hostname or ""
        started, clock = datetime.now(UTC), time.monotonic()
        try:
            async with self.hosts.request(host, policy):
                status, headers, body = await asyncio.wait_for(
                    self._robots_body(url), timeout=self.settings.total_timeout_s
                )
        except (httpx.TransportError, httpx.DecodingError, TimeoutError, BlockedAddress, UnresolvedHost) as exc:
            outcome.attempts.append(_attempt(url, None, _describe(exc), _ms(clock), 0, started))
            return None
        outcome.attempts.append(_attempt(url, status, None, _ms(clock), len(body), started))
        return status, headers, body

    async def _robots_body(self, url: str) -> tuple[int, httpx.Headers, bytes]:
        await self.guard.check_url(url)
        limit = min(_ROBOTS_MAX_BYTES, self.settings.max_body_bytes)
        async with self._client.stream("GET", url) as response:
            self._check_peer(url, response)
            chunks = bytearray()
            if response.status_code not in _REDIRECTS:
                async for chunk in response.aiter_bytes():
                    chunks += chunk
                    if len(chunks) >= limit:
                        break
            return response.status_code, response.headers, bytes(chunks[:limit])


def _attempt(url: str, status: int | None, error: str | None, ms: float, size: int, at: datetime) -> Attempt:
    return Attempt(url=url, requested_at=at, status=status, error=error, elapsed_ms=round(ms, 1), bytes=size)


def _ms(since: float) -> float:
    return (time.monotonic() - since) * 1000


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return f"timeout ({type(exc).__name__})"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
