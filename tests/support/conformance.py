"""Where the other projects' test corpora are (read from ../shared, never copied into the repo)."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "conformance"


def corpus(name: str) -> Path:
    """The corpus folder, or a skip saying where it was looked for."""
    folder = CONFORMANCE / name
    if not folder.is_dir():
        pytest.skip(f"conformance corpus {name!r} not found at {folder}")
    return folder
