"""Qualification levels named: "Level 4 and 5", "Levels 4/5", T Levels, higher technical qualifications."""

from __future__ import annotations

import re

__all__ = ["find_levels"]

_NUMBERED = re.compile(
    r"\blevels?[ ]+(?P<first>[2-8])(?P<more>(?:[ ]*(?:,|/|and|or|to|-|–)[ ]*[2-8]\b)*)", re.IGNORECASE
)
_NAMED = (
    (re.compile(r"\bT[ -]Levels?\b"), "T Levels"),
    (
        re.compile(r"\bhigher technical qualifications?\b|\b(?-i:HTQs?)\b", re.IGNORECASE),
        "higher technical qualifications",
    ),
    (re.compile(r"\bdegree apprenticeships?\b", re.IGNORECASE), "degree apprenticeships"),
    (re.compile(r"\bhigher technical (?:education|training|skills|courses?)\b", re.IGNORECASE), "higher technical"),
    (re.compile(r"\b(?-i:HNCs?|HNDs?)\b|\bhigher national (?:certificates?|diplomas?)\b", re.IGNORECASE), "HNC/HND"),
    (re.compile(r"\bfoundation degrees?\b", re.IGNORECASE), "foundation degrees"),
)


def find_levels(text: str) -> list[str]:
    """Distinct levels, numbered first in order ("Level 4", "Level 5"), then named ones."""
    numbered: set[int] = set()
    for match in _NUMBERED.finditer(text):
        digits = [int(match.group("first")), *map(int, re.findall(r"[2-8]", match.group("more")))]
        if re.search(r"\bto\b|[-–]", match.group("more")) and len(digits) == 2:
            digits = list(range(digits[0], digits[1] + 1))
        numbered.update(digits)
    named = [label for pattern, label in _NAMED if pattern.search(text)]
    return [f"Level {n}" for n in sorted(numbered)] + named
