from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fault_server import FaultServer


@pytest.fixture
def server() -> Iterator[FaultServer]:
    """A fresh misbehaving server on 127.0.0.1 per test, so its request log is the test's alone."""
    running = FaultServer().start()
    try:
        yield running
    finally:
        running.stop()
