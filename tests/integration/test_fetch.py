"""The fetcher against a misbehaving server on 127.0.0.1, asserted from the server's side."""

from __future__ import annotations

import asyncio
import itertools
import random
from typing import Any
from urllib.parse import quote

import pytest

from iot_ingest.extract import extract_article
from iot_ingest.fetch import Accept, Fetcher, FetchOutcome, FetchSettings, HostPolicy, MemoryValidators
from tests.support.fault_server import FaultServer

pytestmark = pytest.mark.integration

FAST = HostPolicy(rate_limit=50.0, max_concurrency=4)


def settings(**overrides: Any) -> FetchSettings:
    base: dict[str, Any] = {
        "user_agent": "iot-ingest-tests/0.1 (+mailto:tests@example.org)",
        "allow_private_hosts": frozenset({"127.0.0.1", "localhost"}),
        "read_timeout_s": 0.5,
        "total_timeout_s": 2.0,
        "max_body_bytes": 100_000,
        "backoff_base_s": 0.02,
        "backoff_cap_s": 0.1,
        "max_attempts": 3,
    }
    return FetchSettings(**{**base, **overrides})


def fetch(url: str, policy: HostPolicy = FAST, **overrides: Any) -> FetchOutcome:
    async def go() -> FetchOutcome:
        async with Fetcher(settings(**overrides), rng=random.Random(1)) as fetcher:
            return await fetcher.fetch(url, policy)

    return asyncio.run(go())


def fetch_twice(url: str) -> tuple[FetchOutcome, FetchOutcome]:
    """The same URL fetched twice by one fetcher, which keeps the validators of the first."""

    async def go() -> tuple[FetchOutcome, FetchOutcome]:
        async with Fetcher(settings(), validators=MemoryValidators()) as fetcher:
            return await fetcher.fetch(url, FAST), await fetcher.fetch(url, FAST)

    return asyncio.run(go())


def test_a_plain_page_is_fetched_with_an_honest_user_agent(server: FaultServer) -> None:
    outcome = fetch(server.url("/page/1"))
    assert outcome.ok and outcome.capture is not None
    assert b"Page /page/1" in outcome.capture.body
    page = next(r for r in server.requests if r.path == "/page/1")
    assert page.headers["user-agent"].startswith("iot-ingest-tests/0.1")
    assert server.paths()[0] == "/robots.txt", "robots.txt is read before the first page"


@pytest.mark.parametrize("code", [500, 503])
def test_5xx_then_200_is_retried(server: FaultServer, code: int) -> None:
    outcome = fetch(server.url(f"/flaky/a?fail=2&code={code}"))
    assert outcome.ok
    assert [a.status for a in outcome.attempts] == [code, code, 200]
    assert server.paths().count("/flaky/a?fail=2&code=" + str(code)) == 3


def test_persistent_5xx_gives_up_after_bounded_attempts_and_says_so(server: FaultServer) -> None:
    outcome = fetch(server.url("/flaky/b?fail=10&code=503"))
    assert not outcome.ok
    assert outcome.error == "HTTP 503"
    assert len(outcome.attempts) == 3
    assert outcome.capture is not None and outcome.capture.status == 503  # kept for the archive


@pytest.mark.parametrize("after", ["1", "date"])
def test_429_waits_out_retry_after(server: FaultServer, after: str) -> None:
    outcome = fetch(server.url(f"/ratelimited/x?after={after}"))
    assert outcome.ok
    first, second = [r.started for r in server.requests if r.path.startswith("/ratelimited/")]
    assert second - first >= 0.9, "Retry-After (1-2 s) must be waited out before the retry"


def test_retry_after_is_capped(server: FaultServer) -> None:
    outcome = fetch(server.url("/ratelimited/y?after=3600"), retry_after_cap_s=0.2)
    assert outcome.ok
    first, second = [r.started for r in server.requests if r.path.startswith("/ratelimited/")]
    assert 0.15 <= second - first < 2


def test_a_response_slower_than_the_timeout_is_a_recorded_failure(server: FaultServer) -> None:
    outcome = fetch(server.url("/slow?for=3"), max_attempts=2)
    assert not outcome.ok
    assert outcome.status is None
    assert outcome.error and "timeout" in outcome.error
    assert len(outcome.attempts) == 2


def test_a_connection_reset_is_retried(server: FaultServer) -> None:
    outcome = fetch(server.url("/reset?times=1"))
    assert outcome.ok
    assert outcome.attempts[0].status is None and outcome.attempts[0].error


def test_a_truncated_body_is_retried_not_kept(server: FaultServer) -> None:
    outcome = fetch(server.url("/truncated?times=1"))
    assert outcome.ok and outcome.capture is not None
    assert b"whole now" in outcome.capture.body
    assert outcome.attempts[0].status is None


def test_gzip_is_decoded(server: FaultServer) -> None:
    outcome = fetch(server.url("/gzip"))
    assert outcome.capture is not None
    assert "compressed £170m".encode() in outcome.capture.body


def test_a_gzip_bomb_stops_at_the_body_limit(server: FaultServer) -> None:
    outcome = fetch(server.url("/gzip-bomb"))
    assert outcome.capture is None
    assert outcome.error and "limit" in outcome.error


@pytest.mark.parametrize("path", ["/charset/missing", "/charset/wrong"])
def test_a_windows_1252_page_keeps_its_pound_sign(server: FaultServer, path: str) -> None:
    outcome = fetch(server.url(path))
    assert outcome.capture is not None
    article = extract_article(outcome.capture.url, outcome.capture.body, outcome.capture.content_type)
    assert "£170 million – a “record” sum" in article.body_text


def test_a_redirect_chain_is_followed_and_every_hop_recorded(server: FaultServer) -> None:
    outcome = fetch(server.url("/redirect/chain/3"))
    assert outcome.ok
    assert outcome.final_url == server.url("/redirect/chain/0")
    assert [a.status for a in outcome.attempts] == [302, 302, 302, 200]


def test_too_many_redirects(server: FaultServer) -> None:
    outcome = fetch(server.url("/redirect/chain/9"), max_redirects=3)
    assert not outcome.ok
    assert outcome.error == "more than 3 redirects"


def test_a_redirect_loop_is_detected(server: FaultServer) -> None:
    outcome = fetch(server.url("/redirect/loop/a"))
    assert outcome.error and "redirect loop" in outcome.error
    assert server.paths().count("/redirect/loop/a") == 1


def test_robots_disallow_is_never_requested_even_through_a_redirect(server: FaultServer) -> None:
    direct = fetch(server.url("/private/secret"))
    assert direct.skipped and "disallowed" in direct.skipped
    redirected = fetch(server.url("/redirect/private"))
    assert redirected.skipped and "disallowed" in redirected.skipped
    assert not any(p.startswith("/private/") for p in server.paths())


def test_robots_txt_is_fetched_once_for_many_concurrent_pages(server: FaultServer) -> None:
    async def go() -> list[FetchOutcome]:
        async with Fetcher(settings()) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(server.url(f"/page/{n}"), FAST) for n in range(20)))

    assert all(o.ok for o in asyncio.run(go()))
    assert server.paths().count("/robots.txt") == 1


def test_robots_4xx_allows_everything(server: FaultServer) -> None:
    server.robots = None
    assert fetch(server.url("/private/secret")).ok


def test_robots_5xx_disallows_everything_for_now(server: FaultServer) -> None:
    server.robots_status = 503
    outcome = fetch(server.url("/page/1"))
    assert outcome.skipped and "disallow" in outcome.skipped
    assert server.paths() == ["/robots.txt"]


def test_crawl_delay_spaces_requests(server: FaultServer) -> None:
    server.robots = "User-agent: *\nCrawl-delay: 0.3\n"

    async def go() -> None:
        async with Fetcher(settings()) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(f"/page/{n}"), FAST) for n in range(4)))

    asyncio.run(go())
    starts = [r.started for r in server.requests if r.path.startswith("/page/")]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.25


def test_an_oversized_body_is_refused(server: FaultServer) -> None:
    for path in ("/big", "/big-chunked"):
        outcome = fetch(server.url(path))
        assert outcome.capture is None
        assert outcome.error and "limit" in outcome.error
        assert len(outcome.attempts) == 1, "a refusal is not retried"
        assert outcome.attempts[0].status == 200, "what the server answered: not a failure to sweep again"


def test_a_content_type_outside_the_allowlist_is_refused(server: FaultServer) -> None:
    outcome = fetch(server.url("/image"))
    assert outcome.capture is None
    assert outcome.error == "content type image/png is not allowed"
    # Recorded with its status, the refusal is not among the failures the next run retries.
    assert [(a.status, a.error) for a in outcome.attempts] == [(200, "content type image/png is not allowed")]


@pytest.mark.parametrize(
    ("accept", "served", "allowed"),
    [
        ("sitemap", "text/plain; charset=utf-8", True),  # a text sitemap
        ("sitemap", "application/x-gzip", True),  # .xml.gz
        ("sitemap", "application/gzip", True),
        ("sitemap", "text/xml", True),
        ("sitemap", "text/html", False),
        ("feed", "application/rss+xml; charset=UTF-8", True),
        ("feed", "application/atom+xml", True),
        ("feed", "application/xml", True),
        ("feed", "text/plain", False),
        ("api", "application/json; charset=utf-8", True),
        ("api", "text/html", False),
        ("page", "text/html; charset=utf-8", True),
        ("page", "application/xhtml+xml", True),
        ("page", "application/json", True),  # the GOV.UK Content API's item
        ("page", "text/plain", False),
        ("page", "application/rss+xml", False),
        ("file_list", "application/octet-stream", True),
    ],
)
def test_each_kind_of_request_allows_the_types_its_format_is_served_with(
    server: FaultServer, accept: Accept, served: str, allowed: bool
) -> None:
    async def go() -> FetchOutcome:
        async with Fetcher(settings()) as fetcher:
            return await fetcher.fetch(server.url(f"/typed?type={quote(served)}"), FAST, accept=accept)

    outcome = asyncio.run(go())
    if allowed:
        assert outcome.ok and outcome.capture is not None and outcome.capture.body == b"https://example.org/a\n"
    else:
        mime = served.split(";")[0]
        assert (outcome.capture, outcome.error) == (None, f"content type {mime} is not allowed")
    if accept == "page":  # what a fetch that says nothing is for
        assert fetch(server.url(f"/typed?type={quote(served)}")).error == outcome.error


def test_per_host_in_flight_cap_and_rate_limit_hold_from_the_servers_side(server: FaultServer) -> None:
    policy = HostPolicy(rate_limit=20.0, max_concurrency=2)

    async def go() -> list[FetchOutcome]:
        async with Fetcher(settings(total_timeout_s=5)) as fetcher:
            jobs = [
                fetcher.fetch(server.url(f"/page/{n}?delay=0.15", host), policy)
                for n in range(12)
                for host in ("127.0.0.1", "localhost")
            ]
            return await asyncio.gather(*jobs)

    outcomes = asyncio.run(go())
    assert all(o.ok for o in outcomes)
    for host in ("127.0.0.1", "localhost"):
        assert server.max_in_flight[host] <= 2
        starts = sorted(r.started for r in server.requests if r.host == host and r.path.startswith("/page/"))
        assert len(starts) == 12
        # 12 starts at most 20 per second: the first and last at least 11 intervals apart.
        assert starts[-1] - starts[0] >= 11 / 20 - 0.02
    # The two hosts were fetched in parallel, not one after the other.
    assert server.max_in_flight["127.0.0.1"] == 2


def test_conditional_get_sends_validators_and_a_304_has_no_body(server: FaultServer) -> None:
    first, second = fetch_twice(server.url("/etag/a"))
    assert first.ok
    assert second.not_modified and second.capture is None
    sent = [r.headers for r in server.requests if r.path == "/etag/a"]
    assert "if-none-match" not in sent[0]
    assert sent[1]["if-none-match"] == '"v1"'
    assert sent[1]["if-modified-since"] == "Wed, 10 Apr 2019 08:00:00 GMT"


def test_a_redirect_target_fetched_before_is_asked_conditionally(server: FaultServer) -> None:
    first, second = fetch_twice(server.url("/moved/b"))
    assert first.ok and first.final_url == server.url("/etag/b")
    assert second.not_modified and second.capture is None
    sent = [r.headers for r in server.requests if r.path == "/etag/b"]
    assert "if-none-match" not in sent[0]
    assert sent[1]["if-none-match"] == '"v1"'
    assert sent[1]["if-modified-since"] == "Wed, 10 Apr 2019 08:00:00 GMT"


def test_robots_txt_is_read_only_up_to_the_size_cap(server: FaultServer) -> None:
    server.robots = "User-agent: *\nDisallow: /private/\n" + "# padding\n" * 300_000

    async def go() -> tuple[FetchOutcome, int]:
        async with Fetcher(settings(max_body_bytes=50_000)) as fetcher:
            outcome = await fetcher.fetch(server.url("/private/secret"), FAST)
            _attempts, captures = fetcher.drain_robots()
            return outcome, len(captures[0].body)

    outcome, kept = asyncio.run(go())
    assert kept == 50_000, "the body stops at the same cap as any response"
    assert outcome.skipped and "disallowed" in outcome.skipped


def test_robots_txt_redirected_to_a_private_address_is_refused_like_any_request(server: FaultServer) -> None:
    server.robots_status = 301
    server.robots = ""
    server.robots_location = "http://10.0.0.1/robots.txt"
    outcome = fetch(server.url("/page/1"))
    assert outcome.skipped and "robots.txt unreachable" in outcome.skipped
    assert server.paths() == ["/robots.txt"]
