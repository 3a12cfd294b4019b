"""Small counts written in digits or in words ("twelve", "twenty-one")."""

from __future__ import annotations

__all__ = ["NUMBER_PATTERN", "parse_number"]

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}

# Digits (at most three: counts of institutes, not years) or words, "twenty-one" and "twenty one".
NUMBER_PATTERN = (
    r"(?:\d{1,3}|(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(k for k in _UNITS if _UNITS[k] < 10) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
)


def parse_number(text: str) -> int | None:
    word = text.strip().lower()
    if word.isdigit():
        return int(word)
    if word in _UNITS:
        return _UNITS[word]
    tens, _, unit = word.replace(" ", "-").partition("-")
    if tens in _TENS and (not unit or unit in _UNITS):
        return _TENS[tens] + (_UNITS[unit] if unit else 0)
    return None
