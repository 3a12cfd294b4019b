"""What an article is about, as a weighted bag of words, and how alike two of them are. Pure.

Independent reports of one event share its particulars, not its sentences: the sum, the deadline,
the minister, the places, the number of bids. The words every report on the topic uses ("institutes
of technology", "colleges", "skills") are left out, so what remains is what tells one event from
another. The title says most about the event and the lead next, so their words weigh more. Weights
are fixed, not learnt from the corpus (no document frequencies), so two articles are exactly as alike
whatever else the warehouse holds: regrouping one part of it gives what regrouping all of it would.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

__all__ = ["TopicTerms", "similarity", "topical_terms"]

TopicTerms = Mapping[str, float]  # term -> weight, unit length

MAX_BODY = 6_000  # characters: the particulars of an event are in its first paragraphs
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
LEAD_CHARS = 400

_TOKEN = re.compile(r"£?\d+(?:[.,]\d+)?(?:m|bn|k)?\b|[a-z][a-z'’-]+")
# General English, then the words every report on the topic uses.
_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just may me might more most
    must my no nor not now of off on once only or other our ours out over own same she should so some
    such than that the their theirs them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your yours
    said says say told today yesterday week year years month new news also one two
    institute institutes technology technologies technical iot iots college colleges university
    universities skills skill education educational students student learners employers employer
    government department dfe minister secretary state england english higher level levels further
    people young training train help economy provide providers provider opportunities
"""
_STOP = frozenset(_STOP_WORDS.split())


def _terms(text: str) -> Counter[str]:
    words = [w.strip("'’-") for w in _TOKEN.findall(text.lower().replace("million", "m"))]
    return Counter(w for w in words if w[:1].isdigit() or w[:1] == "£" or (len(w) > 2 and w not in _STOP))


def topical_terms(title: str | None, body: str | None) -> dict[str, float]:
    """The article's topical words, weighted by where they stand, scaled to unit length."""
    text = (body or "")[:MAX_BODY]
    weights: dict[str, float] = {}
    for part, weight in ((title or "", TITLE_WEIGHT), (text[:LEAD_CHARS], LEAD_WEIGHT), (text, 1.0)):
        for term, count in _terms(part).items():
            weights[term] = weights.get(term, 0.0) + weight * (1.0 + math.log(count))
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def similarity(a: TopicTerms, b: TopicTerms) -> float:
    """Cosine of two unit-length term weightings (0: nothing in common, 1: the same words)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
