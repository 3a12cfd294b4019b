"""What an article is about, as a weighted bag of words, and how alike two of them are. Pure.

Independent reports of one event share its particulars, not its sentences: the sum, the deadline,
the minister, the places, the number of bids. The words every report on the topic uses ("institutes
of technology", "colleges", "skills") are left out, so what remains is what tells one event from
another. The title says most about the event and the lead next, so their words weigh more. Weights
are fixed, not learnt from the corpus (no document frequencies), so two articles are exactly as alike
whatever else the warehouse holds: regrouping one part of it gives what regrouping all of it would.

The places named travel with the words as the institutes they stand for (`TopicTerms.places`): a
report that names "Blackpool, Derby and Salford" rather than the colleges and universities leading
their institutes names those institutes all the same.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from iot_ingest.extract.facts.places import institutes_by_place
from iot_ingest.extract.facts.subject import Subject

__all__ = ["TopicTerms", "similarity", "topical_terms"]

MAX_BODY = 6_000  # characters: the particulars of an event are in its first paragraphs
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
LEAD_CHARS = 400

_TOKEN = re.compile(r"£?\d+(?:[.,]\d+)?(?:m|bn|k)?\b|[a-z][a-z'’-]+")
# General English and the words of public announcements; a topic adds the words every report on it
# uses (its vocabulary's `common_words`).
_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just may me might more most
    must my no nor not now of off on once only or other our ours out over own same she should so some
    such than that the their theirs them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your yours
    said says say told today yesterday week year years month new news also one two
    government department minister secretary state england english people young help economy provide
    providers provider opportunities
"""
_STOP = frozenset(_STOP_WORDS.split())
_POSSESSIVE = re.compile(r"['’]s$")


def _terms(text: str, common: frozenset[str]) -> Counter[str]:
    # A possessive is its word ("the hub's labs" speaks of the hub).
    words = [_POSSESSIVE.sub("", w.strip("'’-")) for w in _TOKEN.findall(text.lower().replace("million", "m"))]
    return Counter(
        w for w in words if w[:1].isdigit() or w[:1] == "£" or (len(w) > 2 and w not in _STOP and w not in common)
    )


@dataclass(frozen=True)
class TopicTerms(Mapping[str, float]):
    """Term -> weight (unit length), and the institutes (registry keys) the text names by place."""

    weights: Mapping[str, float]
    places: frozenset[str] = field(default_factory=frozenset)

    def __getitem__(self, term: str) -> float:
        return self.weights[term]

    def __iter__(self) -> Iterator[str]:
        return iter(self.weights)

    def __len__(self) -> int:
        return len(self.weights)


def topical_terms(title: str | None, body: str | None, subject: Subject) -> TopicTerms:
    """The article's words about `subject`'s topic, weighted by where they stand, scaled to unit length."""
    text = (body or "")[:MAX_BODY]
    weights: dict[str, float] = {}
    for part, weight in ((title or "", TITLE_WEIGHT), (text[:LEAD_CHARS], LEAD_WEIGHT), (text, 1.0)):
        for term, count in _terms(part, subject.vocabulary.common).items():
            weights[term] = weights.get(term, 0.0) + weight * (1.0 + math.log(count))
    norm = math.sqrt(sum(w * w for w in weights.values()))
    unit = {t: w / norm for t, w in weights.items()} if norm else {}
    return TopicTerms(unit, institutes_by_place(f"{title or ''}\n\n{text}", subject))


def similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two unit-length term weightings (0: nothing in common, 1: the same words)."""
    # The plain dictionaries: this runs for every pair of articles within days of each other.
    a = a.weights if isinstance(a, TopicTerms) else a
    b = b.weights if isinstance(b, TopicTerms) else b
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
