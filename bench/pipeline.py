"""The whole pipeline: a loopback news site of --pages articles through the `ingest` flow, end to end.

    .venv/bin/python bench/pipeline.py [--pages 10000] [--hosts 10] [--profile-no-change DIR] [--keep]

A sitemap source over a WordPress-like site (bench/loopback_site.py, its own process) into fresh
DuckDB files in a temporary directory, PREFECT_HOME there too. Each run is its own process:

1. the Prefect flow `ingest` on warehouse A, and the same library steps without Prefect
   (`iot_ingest.orchestrate.ingest`, what `IOT_INGEST_NO_PREFECT=1 iot-ingest run` runs) on warehouse B;
2. both again with nothing new on the site (a conditional GET of the sitemap answered 304).

Prints pages/s, Prefect's share of the wall time (flow process minus library process, and the
temporary server's start apart), the peak RSS of each process and of Prefect's server, and the
no-change runs as a fraction of the first. A source's `rate_limit` is capped at 50/s by the
configuration, per host, so the site's pages are spread over --hosts loopback addresses.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "loopback-news"


def config_text(port: int, hosts: int) -> str:
    allowed = ", ".join(f'"127.0.0.{n}"' for n in range(1, hosts + 1))
    return f"""[http]
user_agent = "iot-ingest-bench/0.1 (+mailto:bench@example.org)"
allow_private_hosts = [{allowed}]

[[sources]]
name = "{SOURCE}"
kind = "sitemap"
url = "http://127.0.0.1:{port}/sitemap_index.xml"
rate_limit = 50.0
max_concurrency = 16
lookback_days = 3660
"""


# --- the measured processes ------------------------------------------------------------------


def child(mode: str, db: Path, config: Path) -> None:
    """One run in this process; prints a JSON line of its timings, counts and peak memory."""
    started = time.perf_counter()
    result: dict[str, Any] = {"mode": mode}
    if mode == "server":
        from prefect.server.api.server import SubprocessASGIServer

        from iot_ingest.orchestrate import prefect_flows  # noqa: F401  (its settings for the temporary server)

        result["import_s"] = time.perf_counter() - started
        server = SubprocessASGIServer()
        begin = time.perf_counter()
        server.start()
        result["server_start_s"] = time.perf_counter() - begin
        server.stop()
    elif mode == "flow":
        from prefect.server.api.server import SubprocessASGIServer

        from flows.ingest import ingest

        result["import_s"] = time.perf_counter() - started
        server = SubprocessASGIServer()  # the one the flow's client would start: started here to time it
        begin = time.perf_counter()
        server.start()
        result["server_start_s"] = time.perf_counter() - begin
        begin = time.perf_counter()
        per_source = ingest(db=str(db), config=str(config))
        result["run_s"] = time.perf_counter() - begin
        result["counts"] = per_source[SOURCE]
        # Left to Prefect's own exit handlers, which drain logs and events into it before stopping it.
        assert server.server_process is not None
        result["server_maxrss_mb"] = _peak_rss_mb(server.server_process.pid)
        result["server_cpu_s"] = _cpu_s(server.server_process.pid)
    else:
        from iot_ingest.config import load_config
        from iot_ingest.orchestrate import ingest as run_sources

        result["import_s"] = time.perf_counter() - started
        cfg = load_config(config)
        begin = time.perf_counter()
        counts = run_sources(db, cfg)
        result["run_s"] = time.perf_counter() - begin
        result["counts"] = counts.total.as_dict()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["maxrss_mb"] = usage.ru_maxrss / 1024
    result["cpu_s"] = usage.ru_utime + usage.ru_stime
    result["printed_at"] = time.time()
    print(json.dumps(result), flush=True)


def _cpu_s(pid: int) -> float:
    """User and system CPU time of a running process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float:
    """VmHWM of a running process: its high-water mark of resident memory."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(
    mode: str, db: Path, config: Path, env: dict[str, str], log: Path, profile: Path | None = None
) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--db", str(db), "--config", str(config)]
    if profile is not None:  # the whole process, imports included
        command[1:1] = ["-m", "pyinstrument", "--interval", "0.002", "--outfile", str(profile)]
    begin = time.perf_counter()
    with log.open("a") as stderr:
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True, check=False)
    wall = time.perf_counter() - begin
    ended = time.time()
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{mode} run failed (exit {done.returncode}); its log: {log}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["process_s"] = wall
    result["exit_s"] = ended - result["printed_at"]  # after the run: interpreter and library exit handlers
    return result


# --- the bench -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=10, help="loopback addresses the pages are spread over")
    parser.add_argument(
        "--profile-no-change", type=Path, metavar="DIR", help="then profile a no-change run of each with pyinstrument"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (warehouses, logs)")
    parser.add_argument("--child", choices=["flow", "library", "server"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.config)
        return

    load_before = os.getloadavg()[0]
    site = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("loopback_site.py")), "--articles", str(args.pages),
         "--hosts", str(args.hosts)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="iot-pipeline-bench-"))
    try:
        assert site.stdout is not None
        port = int(site.stdout.readline())
        config = tmp / "iot-ingest.toml"
        config.write_text(config_text(port, args.hosts), "utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "IOT_INGEST_"))}
        env |= {"PREFECT_HOME": str(tmp / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        log = tmp / "runs.log"
        flow_db, library_db = tmp / "flow" / "iot.duckdb", tmp / "library" / "iot.duckdb"
        cold = measure("server", flow_db, config, env, log)  # a fresh PREFECT_HOME: Prefect migrates its database
        runs = {
            "library, first run": measure("library", library_db, config, env, log),
            "flow, first run": measure("flow", flow_db, config, env, log),
            "library, no change": measure("library", library_db, config, env, log),
            "flow, no change": measure("flow", flow_db, config, env, log),
        }
        if args.profile_no_change:  # extra runs, not among the figures: the profiler slows what it watches
            args.profile_no_change.mkdir(parents=True, exist_ok=True)
            for mode, db in (("flow", flow_db), ("library", library_db)):
                measure(mode, db, config, env, log, args.profile_no_change / f"{mode}-no-change.txt")
    finally:
        site.terminate()
        site.wait()
        if not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs")
    report(args, cold, runs, tmp)


def report(args: argparse.Namespace, cold: dict[str, Any], runs: dict[str, dict[str, Any]], tmp: Path) -> None:
    first, lib = runs["flow, first run"], runs["library, first run"]
    fetched = first["counts"].get("fetched", 0)
    if fetched < args.pages or lib["counts"].get("fetched", 0) < args.pages:
        raise SystemExit(f"expected {args.pages} pages fetched, got {fetched} (flow), {lib['counts']}")
    print(f"{args.pages} pages from a loopback sitemap site on {args.hosts} loopback address(es), rate 50/s per host")
    print(
        "  run                  process s   import s   in-run s   exit s  peak RSS MB   fetched  not-modified  relevant"
    )
    for name, r in runs.items():
        c = r["counts"]
        print(
            f"  {name:20s} {r['process_s']:9.1f} {r['import_s']:10.1f} {r['run_s']:10.1f} {r['exit_s']:8.1f}"
            f" {r['maxrss_mb']:12.0f} {c.get('fetched', 0):9d} {c.get('not_modified', 0):13d}"
            f" {c.get('relevant_sightings', 0):9d}"
        )
    print(f"  first run: {args.pages / first['process_s']:.1f} pages/s through the flow process (start to exit), "
          f"{args.pages / lib['process_s']:.1f} pages/s without Prefect")  # fmt: skip
    overhead = first["process_s"] - lib["process_s"]
    in_flow = first["run_s"] - lib["run_s"]
    print(
        f"  Prefect's share of the first run: {overhead:.1f} s of {first['process_s']:.1f} s = "
        f"{overhead / first['process_s']:.1%} (goal: under 10%)"
    )
    print(
        f"    of which temporary server start {first['server_start_s']:.1f} s (cold, fresh PREFECT_HOME: "
        f"{cold['server_start_s']:.1f} s), exit {first['exit_s'] - lib['exit_s']:+.1f} s, imports "
        f"{first['import_s'] - lib['import_s']:+.1f} s, inside the flow call {in_flow:+.1f} s"
    )
    # Prefect's fixed costs measured directly, free of the drift between two long runs on a shared machine.
    again, lib_again = runs["flow, no change"], runs["library, no change"]
    fixed = (
        first["server_start_s"]
        + first["import_s"]
        - lib["import_s"]
        + first["exit_s"]
        - lib["exit_s"]
        + again["run_s"]
        - lib_again["run_s"]
    )
    print(
        f"  Prefect's costs measured one by one (server start, imports, exit, flow and task calls from the no-change "
        f"pair): {fixed:.1f} s = {fixed / (lib['process_s'] + fixed):.1%} of the library run plus them"
    )
    print(
        f"  CPU time (less sensitive to other load): flow process {first['cpu_s']:.1f} s + its server "
        f"{first['server_cpu_s']:.1f} s, library process {lib['cpu_s']:.1f} s: Prefect "
        f"{first['cpu_s'] + first['server_cpu_s'] - lib['cpu_s']:+.1f} s"
    )
    print(
        f"  peak RSS: flow process {first['maxrss_mb']:.0f} MB, its Prefect server "
        f"{first['server_maxrss_mb']:.0f} MB, library process {lib['maxrss_mb']:.0f} MB"
    )
    for variant in ("flow", "library"):
        again, once = runs[f"{variant}, no change"], runs[f"{variant}, first run"]
        print(
            f"  no-change run, {variant}: {again['process_s']:.1f} s = {again['process_s'] / once['process_s']:.1%} "
            f"of the first run (goal: under 10%); {again['run_s']:.2f} s inside the run"
        )
    if args.keep:
        print(f"  warehouses and logs kept in {tmp}")


if __name__ == "__main__":
    main()
