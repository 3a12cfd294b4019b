"""Bytes to text: the HTTP charset, then a BOM, then `<meta charset>`, then UTF-8, then windows-1252 or
detection."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["decode_html", "http_charset"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def http_charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return _known(value.strip().strip("\"'"))
    return None


def decode_html(body: bytes, content_type: str = "") -> str:
    declared = http_charset(content_type)
    if declared:
        text = _try(body, declared)
        if text is not None:
            return text
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    match = _META_CHARSET.search(body[:4096])
    if match:
        meta = _known(match.group(1).decode("ascii", "replace"))
        text = _try(body, meta) if meta else None
        if text is not None:
            return text
    text = _try(body, "utf-8")
    if text is not None:
        return text
    # Undeclared and not UTF-8: what browsers assume for English pages. Detection guesses at random
    # among single-byte codepages on short text (windows-1250 turns "£" into "Ł"), so it is asked
    # only when windows-1252 cannot decode the bytes or leaves far too much non-ASCII for English.
    text = _try(body, "windows-1252")
    if text is not None and sum(ch > "\x7f" for ch in text) <= max(8, len(text) // 50):
        return text
    best = from_bytes(body[:200_000]).best()
    encoding = best.encoding if best is not None else "windows-1252"
    return body.decode(encoding, errors="replace")


def _known(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # Pages labelled latin-1 are windows-1252 in practice (browsers agree): keeps "£" and curly quotes.
    return "windows-1252" if codec in {"latin-1", "iso8859-1", "ascii"} else codec


def _try(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
