"""Where a match sits in its text: the sentence around it, and what comes just before and after."""

from __future__ import annotations

import bisect
import re

__all__ = ["Spans", "after_in_sentence", "before_in_sentence", "sentence_at"]

# A sentence ends at . ! ? followed by a space, or at a line break (list items, headings).
_BOUNDARY = re.compile(r"[.!?](?=\s)|\n")


def before_in_sentence(text: str, start: int, limit: int = 80) -> str:
    """Up to `limit` characters before `start`, not reaching back past the sentence's start."""
    window = text[max(0, start - limit) : start]
    ends = [m.end() for m in _BOUNDARY.finditer(window)]
    return window[ends[-1] :] if ends else window


def after_in_sentence(text: str, end: int, limit: int = 80) -> str:
    """Up to `limit` characters after `end`, stopping at the sentence's end."""
    window = text[end : end + limit]
    cut = _BOUNDARY.search(window)
    return window[: cut.start()] if cut else window


def sentence_at(text: str, start: int, end: int, limit: int = 200) -> str:
    return before_in_sentence(text, start, limit) + text[start:end] + after_in_sentence(text, end, limit)


class Spans:
    """Disjoint (start, end) ranges of a text, asked whether a range overlaps any: in log time, so a
    page with thousands of names stays linear."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in spans or []:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self._starts, end)  # the spans starting before `end`
        return index > 0 and self._ends[index - 1] > start

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self._starts, start)
        self._starts.insert(index, start)
        self._ends.insert(index, end)
