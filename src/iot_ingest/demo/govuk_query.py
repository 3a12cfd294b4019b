"""How GOV.UK's Search API matches `q`, for the fake GOV.UKs (the demo's and the tests').

Any one word of the query matches (with its synonyms), in the title, description or body, and the
results are ranked; a part in double quotes is a phrase every result must hold. Common words are
left out of the query, and a plural matches its singular, as GOV.UK's analyser does.
"""

from __future__ import annotations

import re

__all__ = ["search_score"]


def _words(text: str) -> list[str]:
    out = []
    for word in re.findall(r"[\w£]+", text.lower()):
        out.append(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)
    return out


# What GOV.UK's search analyser leaves out of a query, and a few of its synonym groups.
_STOP_WORDS = frozenset({"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
                         "or", "that", "the", "to", "with"})  # fmt: skip
_SYNONYMS = (
    frozenset({"technology", "tech", "technical"}),
    frozenset({"institute", "college"}),
    frozenset({"dfe", "department"}),
    frozenset({"skill", "training"}),
)


def _query_terms(query: str) -> tuple[list[list[str]], list[str]]:
    """(required phrases, optional words) of a Search API `q`: quoted parts are phrases."""
    phrases = [_words(part) for part in re.findall(r'"([^"]*)"', query)]
    rest = re.sub(r'"[^"]*"', " ", query)
    return [p for p in phrases if p], [w for w in _words(rest) if w not in _STOP_WORDS]


def _expanded(word: str) -> frozenset[str]:
    for group in _SYNONYMS:
        if word in group:
            return group
    return frozenset({word})


def _has_phrase(phrase: list[str], words: list[str]) -> bool:
    wanted = [w for w in phrase if w not in _STOP_WORDS]
    have = [w for w in words if w not in _STOP_WORDS]
    size = len(wanted)
    return any(have[i : i + size] == wanted for i in range(len(have) - size + 1))


def search_score(query: str, title: str, description: str, body: str) -> float:
    """0 when the item does not match `q`; otherwise its relevance (title words weigh most).

    As on GOV.UK: any one word of the query matches (with its synonyms) in the title, description
    or body; a part in double quotes is a phrase every result must hold.
    """
    phrases, optional = _query_terms(query)
    title_words, text_words = _words(title), _words(f"{title} {description} {body}")
    if any(not _has_phrase(p, text_words) for p in phrases):
        return 0.0
    if not optional:
        return 1.0 + sum(2.0 for p in phrases if _has_phrase(p, title_words))
    titled, texted = set(title_words), set(text_words)
    score = 0.0
    for word in optional:
        forms = _expanded(word)
        score += 3.0 if forms & titled else 1.0 if forms & texted else 0.0
    return score + sum(2.0 for p in phrases if _has_phrase(p, title_words))
