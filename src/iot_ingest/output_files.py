"""Files the read-only commands write (`query --out`, `report --out`): checked before any work,
written under a temporary name and renamed, so a failure never leaves a half-written file."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from iot_ingest.errors import CommandFailed, UsageError

__all__ = ["check_target", "write_atomically"]


def check_target(target: Path, suffixes: Sequence[str], what: str) -> None:
    if target.suffix.lower() not in suffixes:
        raise UsageError(f"--out {target}: {what}, give a file ending in {', '.join(suffixes)}")
    if not target.parent.is_dir():
        raise UsageError(f"--out {target}: no such directory {target.parent}")


def write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Call `write` with a temporary path beside `target`, then move it into place."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        write(partial)
        partial.replace(target)
    except OSError as exc:
        raise CommandFailed(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
