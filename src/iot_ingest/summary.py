"""The short summary a command prints when it is done."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TextIO

__all__ = ["print_counts"]


def print_counts(command: str, counts: Mapping[str, int], out: TextIO | None = None) -> None:
    stream = out or sys.stdout
    parts = ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in sorted(counts.items()))
    print(f"{command}: {parts or 'nothing to do'}", file=stream)
