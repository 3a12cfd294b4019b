"""How the report writes numbers and text, the same in charts and tables."""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["count", "day", "money", "short"]


def money(value: int | None) -> str:
    """£170m, £17.4m, or a plain "no sum stated"."""
    if value is None:
        return "no sum stated"
    return f"£{value / 1e6:,.1f}m".replace(".0m", "m")


def count(value: int | None, noun: str) -> str:
    return "no count stated" if value is None else f"{value} {noun}{'s' if value != 1 else ''}"


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def day(value: date | datetime | None) -> str:
    """10 Apr 2019; a timestamp keeps its UTC time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M UTC")
    return value.strftime("%d %b %Y")
