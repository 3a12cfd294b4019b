"""What a Dask worker unpickles a unit with is importable first, in a fresh interpreter: an import
cycle that the parent process never notices (it imported the modules in another order) fails there."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["iot_ingest.kinds.ccnews", "iot_ingest.kinds.pages", "iot_ingest.ccnews.commit"])
def test_a_unit_module_imports_first(module: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
