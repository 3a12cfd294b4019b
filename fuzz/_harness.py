"""What every harness shares: the repository on sys.path and one atheris entry point per target.

A target (tests/support/hostile.py) returns a verdict or refuses with a reason; anything it raises
is a crash, and atheris saves the input as `crash-<sha1>` in the working directory.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports(include=["iot_ingest", "bs4", "lxml", "warcio", "soupsieve"]):
    from tests.support.hostile import TARGETS


def fuzz(*names: str) -> None:
    """Fuzz one target, or several: then the first byte of the input picks which."""
    targets = [TARGETS[n] for n in names]

    def one_input(data: bytes) -> None:
        if len(targets) == 1:
            targets[0](data)
        elif data:
            targets[data[0] % len(targets)](data[1:])

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
