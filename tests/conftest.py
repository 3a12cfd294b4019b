"""Shared fixtures: sample captures from the bundled pages, WARC files written with warcio, the CLI
called in-process (and as the console script where the process itself is what a test is about), and
the suite's settings: a quick Hypothesis profile, the `serial` marker for xdist."""

from __future__ import annotations

import atexit
import gzip
import io
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from iot_ingest.archive import Capture
from iot_ingest.config import Config, parse_config
from iot_ingest.demo import sample_captures, sample_pages
from tests.support.cli_runner import CliResult, in_process

CLI = Path(sys.executable).parent / "iot-ingest"
LOCK_TIMEOUT_S = 1.0  # how long a test's writer waits for a held database

# Flows started by the tests (in-process or through the CLI) keep their Prefect database in one
# temporary home for the session, never in the user's ~/.prefect.
_PREFECT_HOME = tempfile.mkdtemp(prefix="iot-ingest-tests-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
atexit.register(shutil.rmtree, _PREFECT_HOME, True)

# Everyday runs try fewer examples; HYPOTHESIS_PROFILE=full (CI, a nightly job) tries Hypothesis's default.
settings.register_profile("quick", max_examples=25, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("full")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

# Commands that run flows start Prefect when not told otherwise: they run as a process of their own,
# so Prefect's temporary server and its threads never live inside the test process.
_PREFECT_COMMANDS = frozenset({"run", "backfill", "reprocess", "demo", "serve"})


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups into the test ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under xdist (`make test` runs `-n 2 --dist loadgroup`), tests marked `serial` share one worker
    and so never overlap each other (they measure waits and timings, or kill processes), and the
    Prefect flow tests share one worker, so its one temporary Prefect server serves them all."""
    for item in items:
        if item.get_closest_marker("serial") is not None:
            item.add_marker(pytest.mark.xdist_group("serial"))
        elif "orchestration" in item.path.parts:
            item.add_marker(pytest.mark.xdist_group("prefect"))


@pytest.fixture(scope="session")
def manifest() -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = tomllib.loads(sample_pages().joinpath("manifest.toml").read_text("utf-8"))["page"]
    return pages


@pytest.fixture(scope="session")
def captures() -> list[Capture]:
    return sample_captures()


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse, built once per session (per xdist worker); modules use copies of it
    (`tests.support.demo_warehouse.demo_warehouse_fixture`), never this one."""
    from tests.support.demo_warehouse import build_demo_warehouse

    return build_demo_warehouse(tmp_path_factory.mktemp("demo-master"))


@pytest.fixture
def config() -> Config:
    # A short lock wait keeps the tests that meet a held database quick.
    return parse_config(f"[warehouse]\nlock_timeout_s = {LOCK_TIMEOUT_S}\n", origin="test")


def write_warc(
    path: Path,
    captures: Iterable[Capture],
    *,
    gzipped: bool = True,
    content_encoding: str | None = None,
) -> Path:
    """A WARC written by warcio itself (not by the code under test), optionally gzip-encoding bodies."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        for capture in captures:
            body = capture.body
            headers = list(capture.headers)
            if content_encoding == "gzip":
                body = gzip.compress(body)
                headers.append(("Content-Encoding", "gzip"))
            headers.append(("Content-Length", str(len(body))))
            record = writer.create_warc_record(
                capture.url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=StatusAndHeaders(f"{capture.status} OK", headers, protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": capture.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            writer.write_record(record)
    return path


@pytest.fixture
def warc_of(tmp_path: Path) -> Callable[..., Path]:
    def make(captures: Iterable[Capture], name: str = "sample.warc.gz", **options: Any) -> Path:
        return write_warc(tmp_path / name, captures, gzipped=name.endswith(".gz"), **options)

    return make


@pytest.fixture
def cli_process(tmp_path: Path) -> Callable[..., CliResult]:
    """Run the installed console script, as a user would (a process of its own)."""

    def run(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 120) -> CliResult:
        full_env = {**os.environ, "IOT_INGEST_LOCK_TIMEOUT": str(LOCK_TIMEOUT_S), **(env or {})}
        done = subprocess.run(
            [str(CLI), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=tmp_path,
            env=full_env,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def cli(tmp_path: Path, cli_process: Callable[..., CliResult]) -> Callable[..., CliResult]:
    """The CLI's `main(argv)` in this process, in `tmp_path`, with its output captured: what the
    console script does, without a second or more of interpreter start per call. Commands that
    would start Prefect run as the console script."""

    def run(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 120) -> CliResult:
        argv = [str(a) for a in args]
        no_prefect = {**os.environ, **(env or {})}.get("IOT_INGEST_NO_PREFECT", "") in ("1", "true", "yes")
        if argv and argv[0] in _PREFECT_COMMANDS and not no_prefect:
            return cli_process(*args, env=env, timeout=timeout)
        return in_process(argv, tmp_path, {"IOT_INGEST_LOCK_TIMEOUT": str(LOCK_TIMEOUT_S), **(env or {})})

    return run
