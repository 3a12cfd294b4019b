"""Progress bars for long commands: on a terminal only, so logs and pipes stay clean.

The CLI turns them on (`enabled()`); library loops report through `bar()`, which costs nothing when
they are off. Flows run in the CLI's process, so their steps show on the same display.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress

__all__ = ["Bar", "bar", "enabled"]

_lock = threading.Lock()
_display: Progress | None = None


class Bar:
    """One line of the display; every method is a no-op when progress is off."""

    def __init__(self, display: Progress | None, description: str, total: int | None) -> None:
        self._display = display
        self._task = display.add_task(description, total=total) if display is not None else None

    def advance(self, amount: int = 1) -> None:
        if self._display is not None and self._task is not None:
            self._display.advance(self._task, amount)

    def close(self) -> None:
        if self._display is not None and self._task is not None:
            self._display.remove_task(self._task)


@contextlib.contextmanager
def enabled(*, when: bool | None = None) -> Iterator[None]:
    """Show bars for the duration of a command, if stderr is a terminal (or `when` says so)."""
    global _display
    show = sys.stderr.isatty() if when is None else when
    if not show:
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    display = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    with _lock:
        _display = display
    try:
        with display:
            yield
    finally:
        with _lock:
            _display = None


@contextlib.contextmanager
def bar(description: str, total: int | None) -> Iterator[Bar]:
    with _lock:
        display = _display
    line = Bar(display, description, total)
    try:
        yield line
    finally:
        line.close()
