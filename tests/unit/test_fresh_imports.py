"""What a fresh interpreter imports: what a Dask worker unpickles a unit with is importable first (an
import cycle that the parent process never notices, having imported the modules in another order,
fails there), and `import-warc` starts without what it does not use."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["iot_ingest.kinds.ccnews", "iot_ingest.kinds.pages", "iot_ingest.ccnews.commit"])
def test_a_unit_module_imports_first(module: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_import_warc_without_a_terminal_does_not_import_the_progress_bars() -> None:
    # Rich is a tenth of a second of start-up, which a small import pays in full.
    code = (
        "import sys, iot_ingest.cli, iot_ingest.ingest, iot_ingest.run_summary\n"
        "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
