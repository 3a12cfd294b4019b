"""Exact-text identity: a hash of the body text after normalising what copying changes anyway."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["MIN_TEXT_FOR_IDENTITY", "body_hash", "fold_text", "normalise_text"]

# Below this many characters a body (a stub, a failed extraction) says too little to identify
# an article; two such pages are never merged by text.
MIN_TEXT_FOR_IDENTITY = 280

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"})
_SPACE = re.compile(r"\s+")


def fold_text(text: str) -> str:
    """Case, Unicode forms, curly quotes and dashes folded away (whitespace left as it is)."""
    if text.isascii():
        # NFKC changes nothing in ASCII text and is the costliest step; lower() is casefold() there.
        return text.lower()
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()


def normalise_text(text: str) -> str:
    """Case, Unicode forms, curly quotes, dashes and whitespace folded away."""
    return _SPACE.sub(" ", fold_text(text)).strip()


def body_hash(text: str) -> str | None:
    """The identity hash of a body text, or None when it is too short to identify anything."""
    normal = normalise_text(text)
    if len(normal) < MIN_TEXT_FOR_IDENTITY:
        return None
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()
