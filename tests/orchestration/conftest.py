"""Flow tests run against one temporary Prefect server (prefect_test_harness, ~10 s), stopped when
this package is done: its background threads must not outlive it into other tests (they use `random`,
which Hypothesis rightly refuses to share)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="package", autouse=True)
def prefect_server() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
