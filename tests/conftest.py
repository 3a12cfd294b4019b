"""Shared fixtures: sample captures from the bundled pages, WARC files written with warcio, a CLI runner."""

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
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from iot_ingest.archive import Capture
from iot_ingest.config import Config, parse_config
from iot_ingest.demo import sample_captures, sample_pages

CLI = Path(sys.executable).parent / "iot-ingest"

# Flows started by the tests (in-process or through the CLI) keep their Prefect database in one
# temporary home for the session, never in the user's ~/.prefect.
_PREFECT_HOME = tempfile.mkdtemp(prefix="iot-ingest-tests-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
atexit.register(shutil.rmtree, _PREFECT_HOME, True)


@pytest.fixture(scope="session")
def manifest() -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = tomllib.loads(sample_pages().joinpath("manifest.toml").read_text("utf-8"))["page"]
    return pages


@pytest.fixture(scope="session")
def captures() -> list[Capture]:
    return sample_captures()


@pytest.fixture
def config() -> Config:
    # A short lock wait keeps the tests that meet a held database quick.
    return parse_config("[warehouse]\nlock_timeout_s = 2\n", origin="test")


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


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., CliResult]:
    """Run the installed console script, as a user would."""

    def run(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 120) -> CliResult:
        full_env = {**os.environ, "IOT_INGEST_LOCK_TIMEOUT": "2", **(env or {})}
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
