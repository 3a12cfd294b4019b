"""Fetching: the polite client (robots, rate limits, retries, guard, archiving) against a bare
`httpx.AsyncClient` + `asyncio.gather` loop, on the same loopback site in the same run.

    .venv/bin/python bench/fetch.py [--pages 5000] [--concurrency 32] [--repeat 3]

Prints pages/s and client CPU ms per page for both (best of --repeat) and the overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from iot_ingest.archive import RawArchive
from iot_ingest.fetch import Fetcher, FetchSettings, HostPolicy


async def bare(urls: list[str], concurrency: int) -> int:
    """The plain loop: every request handed to gather at once, the pool capping connections."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    # No pool timeout: with thousands queued, httpx's default 5 s pool wait fails the loop outright.
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(30.0, pool=None)) as client:
        responses = await asyncio.gather(*(client.get(u) for u in urls))
    return sum(1 for r in responses if r.content)


async def bare_gated(urls: list[str], concurrency: int) -> int:
    """The same with a semaphore in front of the pool (httpx's pool queue is costly when deep)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=limits) as client:

        async def one(url: str) -> int:
            async with gate:
                response = await client.get(url)
                return len(response.content)

        sizes = await asyncio.gather(*(one(u) for u in urls))
    return sum(1 for s in sizes if s)


async def polite(urls: list[str], concurrency: int) -> int:
    settings = FetchSettings(
        user_agent="iot-ingest-bench/0.1 (+mailto:bench@example.org)",
        allow_private_hosts=frozenset({"127.0.0.1"}),
        global_concurrency=concurrency,
    )
    lifted = HostPolicy(rate_limit=1e9, max_concurrency=concurrency)
    with tempfile.TemporaryDirectory() as tmp, RawArchive(Path(tmp), max_file_bytes=256 * 1024 * 1024) as archive:
        async with Fetcher(settings) as fetcher:
            outcomes = await asyncio.gather(*(fetcher.fetch(u, lifted) for u in urls))
        for outcome in outcomes:
            if outcome.capture is not None:
                archive.append(outcome.capture)
        archive.sync()
    return sum(1 for o in outcomes if o.ok)


def measure(
    name: str, run: Callable[[list[str], int], Awaitable[int]], urls: list[str], concurrency: int
) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    ok = asyncio.run(run(urls, concurrency))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if ok != len(urls):
        raise SystemExit(f"{name}: only {ok} of {len(urls)} pages fetched")
    return len(urls) / wall, cpu * 1000 / len(urls)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("loopback_site.py"))], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        urls = [f"http://127.0.0.1:{port}/news/{n}" for n in range(args.pages)]
        contenders = {
            "bare httpx + gather": bare,
            "bare httpx + gather + semaphore": bare_gated,
            "iot-ingest Fetcher + archive": polite,
        }
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
        for _ in range(args.repeat):  # interleaved, so drift on the machine hits all alike
            for name, run in contenders.items():
                results[name].append(measure(name, run, urls, args.concurrency))
    finally:
        server.terminate()
        server.wait()
    print(f"{args.pages} pages from a loopback server, concurrency {args.concurrency}, best of {args.repeat}")
    best = {name: (max(r[0] for r in runs), min(r[1] for r in runs)) for name, runs in results.items()}
    for name, (rate, cpu) in best.items():
        print(f"  {name:32s} {rate:8.0f} pages/s   {cpu:6.3f} CPU ms/page")
    our_rate, our_cpu = best.pop("iot-ingest Fetcher + archive")
    bare_rate, bare_cpu = max(rate for rate, _ in best.values()), min(cpu for _, cpu in best.values())
    print(
        f"  overhead against the faster bare loop: wall {bare_rate / our_rate - 1:+.1%}, "
        f"CPU {our_cpu / bare_cpu - 1:+.1%} (goal: at most +25%)"
    )


if __name__ == "__main__":
    main()
