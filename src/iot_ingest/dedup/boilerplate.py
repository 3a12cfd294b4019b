"""Boilerplate: paragraphs a publisher repeats across its own articles (agency footers, "notes to
editors", site furniture the extractor kept). They are left out before shingling, so they neither
make LSH candidates nor count towards a copy's similarity. Pure functions.

A widely copied release is not boilerplate by this rule: each outlet carries it once, and one
outlet's same text at two addresses is one article. A footer is: its publisher repeats it under
every release, and copies elsewhere carry it along, where it is left out as well.

A paragraph is a publisher's footer only if that publisher carried it first. An outlet that quotes
another's release (its lead, its list of winners) in two of its own stories repeats the text, but
the text is the release's: stripping it would gut the release and every copy of it. Copies carry a
footer only after its publisher printed it, so ownership by first appearance keeps footers
boilerplate everywhere they travel and quoted text boilerplate nowhere. Publishers tied for first
(dates given to the day only) own nothing: keeping a footer costs less than gutting a release.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Iterable

from iot_ingest.dedup.exact import normalise_text

__all__ = ["REPEATS", "paragraph_hashes", "paragraphs", "repeated_paragraphs", "strip_boilerplate"]

# Distinct articles of its first publisher that carry a paragraph before it is boilerplate.
REPEATS = 2
_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """The text's non-empty paragraphs (extracted bodies separate them by a blank line)."""
    return [p.strip() for p in _BREAK.split(text) if p.strip()]


def _paragraph_hash(paragraph: str) -> int:
    digest = hashlib.blake2b(normalise_text(paragraph).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)  # a DuckDB BIGINT


def paragraph_hashes(text: str) -> list[int]:
    """The distinct hashes of the text's paragraphs (case, quotes and spacing folded away)."""
    return list(dict.fromkeys(_paragraph_hash(p) for p in paragraphs(text)))


def strip_boilerplate(text: str, boilerplate: Collection[int]) -> str:
    """The text without its boilerplate paragraphs."""
    if not boilerplate:
        return text
    return "\n\n".join(p for p in paragraphs(text) if _paragraph_hash(p) not in boilerplate)


def repeated_paragraphs(articles: Iterable[tuple[str, str]]) -> set[int]:
    """The boilerplate among (publisher, text) articles in order of publication: paragraphs whose
    first publisher carries them in at least REPEATS distinct articles. The warehouse computes the
    same from `article_paragraphs` and the articles' dates."""
    first: dict[int, str] = {}
    seen: dict[tuple[str, int], int] = defaultdict(int)
    for publisher, text in articles:
        for paragraph in paragraph_hashes(text):
            first.setdefault(paragraph, publisher)
            seen[publisher, paragraph] += 1
    return {
        paragraph
        for (publisher, paragraph), count in seen.items()
        if count >= REPEATS and first[paragraph] == publisher
    }
