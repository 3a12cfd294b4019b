"""How many institutes an announcement is about: "twelve", "nine new", "up to eight". What the
institutes are called ("institutes of technology", "centres") is the topic's vocabulary.

Articles name several counts: the one announced, and context such as the network it joins ("taking
the total to 21", "one of the first 12"). The rule: every "<number> [new|more] <noun>" phrase
is a candidate; a phrase in the title scores higher, "new"/"more"/"further" scores higher (the
announcement creates them), and a phrase in a context cue ("one of the", "join the", "the total",
"there will be", "builds on", "initially said", "... named in the first wave", "were announced in")
scores lower. The best candidate with a score of zero or more wins, ties to the earliest; when only
context phrases exist and the title names exactly one institute (an opening), the count is 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iot_ingest.extract.facts.numbers import NUMBER_PATTERN, parse_number
from iot_ingest.extract.facts.text_spans import after_in_sentence, before_in_sentence
from iot_ingest.extract.facts.vocabulary import Vocabulary

__all__ = ["Count", "find_count"]

MAX_COUNT = 99  # more than this is not a number of institutes in one announcement

# A shortlist given without its noun: "a shortlist of 16", "16 have been shortlisted".
_SHORTLIST = re.compile(
    r"\bshort-?list of\s+(?P<count>" + NUMBER_PATTERN + r")\b|"
    r"\b(?P<count2>"
    + NUMBER_PATTERN
    + r")\s+(?:have|has|were|was|are|had|been|now)\s+(?:now\s+)?(?:been\s+)?short-?listed\b",
    re.IGNORECASE,
)
_BIDDERS = ("bid", "applica", "proposal", "consorti", "partnership")
# A count given as context for the announced one: the network joined, the total reached, the past.
_CONTEXT_BEFORE = re.compile(
    r"\b(one of|join(?:s|ed|ing)?|builds? on|building on|in addition to|alongside|totals?|network|"
    r"there (?:will be|are|were|is)|bringing|taking|existing|previous(?:ly)?|originally|initially|"
    r"had said|all|among the)\b",
    re.IGNORECASE,
)
_FIRST_BEFORE = re.compile(r"\b(?:the\s+)?first\s*$", re.IGNORECASE)
_CONTEXT_AFTER = re.compile(
    r"^[^,;]{0,40}?\b(?:in the first wave|named in|announced in|unveiled in|picked in|(?:were|was) "
    r"(?:announced|unveiled|picked|named|chosen|created|opened)|already)\b",
    re.IGNORECASE,
)
# Bids count only when they won ("nine bids have been successful") or went through to the next stage
# of the competition, not when they were received.
_BIDS_WON = re.compile(
    r"\b(successful|won|winning|short-?listed|selected|chosen|approved|made it through|through to|"
    r"(?:second|next|final) stage|progress(?:ed|ing)?)\b",
    re.IGNORECASE,
)


# "wave 2 institutes", "round 2 bids": a number naming a stage, not counting anything.
_STAGE_BEFORE = re.compile(r"\b(?:wave|round|phase|stage|tranche|part)\s*$", re.IGNORECASE)
# The places an announcement gives institutes to, counted instead of the institutes ("twelve places
# will host new institutes of technology"): only when the same sentence says what they get.
_AREAS = re.compile(
    r"\b(?P<count>" + NUMBER_PATTERN + r")\s+(?:new\s+)?(?P<noun>areas|places|locations|towns|regions|parts of)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Count:
    value: int
    qualifier: str | None
    text: str  # the phrase as written
    score: int


def find_count(title: str, body: str, institutes_in_title: int, vocabulary: Vocabulary) -> Count | None:
    # Places counted for institutes come last: they win only on a higher score, never a tie.
    candidates = [
        *_candidates(title, vocabulary, in_title=True),
        *_candidates(body, vocabulary, in_title=False),
        *_areas(title, vocabulary, in_title=True),
        *_areas(body, vocabulary, in_title=False),
    ]
    best = max(candidates, key=lambda c: c.score, default=None)  # max keeps the first of equals
    if best is not None and best.score >= 0:
        return best
    if institutes_in_title == 1:
        return Count(value=1, qualifier=None, text="", score=0)
    return None


def _candidates(text: str, vocabulary: Vocabulary, *, in_title: bool) -> list[Count]:
    found = []
    for match in vocabulary.count_pattern.finditer(text):
        value = parse_number(match.group("count"))
        if value is None or not 0 < value <= MAX_COUNT:
            continue
        noun = match.group("noun").lower()
        if _STAGE_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        after = after_in_sentence(text, match.end())
        if noun.startswith(_BIDDERS) and not _BIDS_WON.search(after + (match.group("adjective") or "")):
            continue
        before = before_in_sentence(text, match.start(), limit=50)
        score = 4 if in_title else 0
        if (match.group("adjective") or "").lower() in {"new", "more", "further", "additional", "successful"}:
            score += 2
        if _CONTEXT_BEFORE.search(before):
            score -= 6
        if _FIRST_BEFORE.search(before):
            score -= 3
        if _CONTEXT_AFTER.search(after):
            score -= 3
        qualifier = (match.group("qualifier") or "").lower() or None
        found.append(Count(value=value, qualifier=qualifier, text=match.group(0), score=score))
    for match in _SHORTLIST.finditer(text):
        value = parse_number(match.group("count") or match.group("count2"))
        if value is not None and 0 < value <= MAX_COUNT:
            score = (
                (4 if in_title else 0)
                + 2
                - (6 if _CONTEXT_BEFORE.search(before_in_sentence(text, match.start())) else 0)
            )
            found.append(Count(value=value, qualifier=None, text=match.group(0), score=score))
    return found


def _areas(text: str, vocabulary: Vocabulary, *, in_title: bool) -> list[Count]:
    found: list[Count] = []
    institutes_after = vocabulary.institutes_named
    if institutes_after is None:
        return found
    for match in _AREAS.finditer(text):
        value = parse_number(match.group("count"))
        after = after_in_sentence(text, match.end(), limit=120)
        if value is None or not 1 < value <= MAX_COUNT or not institutes_after.search(after):
            continue
        before = before_in_sentence(text, match.start(), limit=50)
        score = (4 if in_title else 0) - (6 if _CONTEXT_BEFORE.search(before) else 0)
        found.append(Count(value=value, qualifier=None, text=match.group(0), score=score))
    return found
