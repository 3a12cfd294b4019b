"""What kind of event an article reports: a competition, a shortlist, a designation, an opening, a
funding round, or something else, from its wording and its other facts.

Wording decides first, the title weighing more than the lead: "competition", "contest", "bid round",
"tender", "prospectus" and "deadline" make a competition, "shortlisted" a shortlist, "opens its
doors" an opening, "named", "revealed", "win", "winners", "will be created" a designation. Phrases
are matched most specific first (a topic's own wording, from its vocabulary, before the general
pattern of its kind) and a match hides its words from the rest, so "competition opens" is
a competition, not an opening, and "the outcome of the second wave competition" or "chosen in the
competition" a designation recalling its competition. What the text says had happened before
("the 15 that had opened by then", "when the second wave was chosen two years ago") is background,
not the event, and is not read. When the wording is silent, the facts decide: several institutes
with a count are a designation, one institute named as an institute in the title an opening, a sum
alone a funding round.
"""

from __future__ import annotations

import re
from functools import cache

from iot_ingest.extract.facts.vocabulary import Vocabulary

__all__ = ["KINDS", "find_kind", "kind_patterns"]

KINDS = ("competition", "shortlist", "designation", "opening", "funding", "other")

LEAD_CHARS = 600  # the lead is where a report says what happened; the rest is background
_TITLE_WEIGHT = 3

# Most specific first: each match is blanked out before the next pattern looks.
_COMPETITION = r"(?:competition|contest|bid(?:ding)? round|tender|bidding process)"
_NOT_YET = r"(?<!to )(?<!can )(?<!could )(?<!may )(?<!might )(?<!hope )(?<!hoping )(?<!bid )"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        # A designation speaking of the competition it ends: before the competition's own words.
        "designation",
        re.compile(
            r"\b(?:(?:outcome|result|results|conclusion|winners?) of|(?:chosen|selected|picked|successful|won|"
            r"winning|victorious) in) (?:the |a |its |this )?(?:[\w-]+ ){0,3}?" + _COMPETITION + r"s?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "competition",
        re.compile(
            r"\b(?:competition|contest|bid(?:ding)? round|bidding|bids?|applications?|process|window|round)\s+"
            r"(?:is\s+|are\s+|now\s+|has\s+|have\s+)?"
            r"(?:re)?(?:open(?:s|ed)?|launch(?:es|ed)?|start(?:s|ed)?)\b|"
            r"\b(?:competition|contests?|bid(?:ding)? rounds?|prospectus|tender(?:s|ing)?|"
            r"invit(?:e|es|ed|ing)\s+(?:bids|applications|proposals)|"
            r"call for (?:bids|proposals)|bidding|deadline|expressions? of interest|can (?:now )?(?:bid|apply)|"
            r"apply for|submit (?:bids|proposals)|invited to (?:bid|apply)|have until|"
            r"(?:put forward|submit|make|prepare) (?:a |their )?bids?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "shortlist",
        re.compile(
            r"\bshort-?list(?:ed|s|ing)?\b|\b(?:second|next|final) stage\b|\bmade it through\b|\bthrough to the\b|"
            r"\bma(?:de|ke)s? the cut\b",
            re.IGNORECASE,
        ),
    ),
    (
        "opening",
        re.compile(
            r"\b(?:open(?:s|ed)?\s+(?:its|their|the)\s+doors|officially\s+open(?:s|ed)?|"
            r"(?:opens|opened|opening of|launch(?:es|ed)? its new|unveil(?:s|ed)? (?:its|the) new building|"
            r"first students|welcomed? (?:its|their) first)|ribbon|inaugurat(?:es?|ed|ion|ing))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "designation",
        re.compile(
            r"\b(?:named|unveil(?:s|ed)|reveal(?:s|ed)|chosen|selected|winners?|successful|"
            # "wins", "won", "win" of the event, not of a bid still to be made ("bid to win a share").
            + _NOT_YET
            + r"(?:won|wins|win|secured?) (?:its |their |a )?(?:£[\d.]+ ?m(?:illion)? )?(?:bid|share|backing)|"
            + _NOT_YET
            + r"(?:wins?|won)|"
            r"(?:to|will) lead (?:a |one of (?:the )?)?(?:\w+ )?new|success of (?:the|its|their) bid|"
            r"given the go-ahead|approved|" + _NOT_YET + r"(?:be )?designated|"
            r"(?:will|to) be (?:created|set up|established)|"
            r"set to be created|awarded)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "funding",
        re.compile(
            r"\b(?:funding|investment|capital|grant|million|£\s?\d[\d.,]*\s?(?:m|bn|million|billion)?)\b", re.IGNORECASE
        ),
    ),
)


@cache
def kind_patterns(vocabulary: Vocabulary) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The built-in wording with the topic's own: a topic's phrases for a kind, and the built-in ones
    that name its institutes ("becomes the seventh centre", "a new £20m hub"), go just before the
    kind's general pattern, so they are matched (and blanked out) before it."""
    extras = {kind: list(vocabulary.wording_for(kind)) for kind in KINDS}
    if vocabulary.nouns:
        nouns = "|".join(vocabulary.nouns)
        extras["designation"] += [
            re.compile(
                rf"\b(?:becomes?|became|will become) (?:the|its|a) (?:[\w-]+ ){{0,2}}(?:{nouns})", re.IGNORECASE
            ),
            re.compile(rf"\bnew £[\d.]+ ?(?:m|bn|million|billion)? (?:{nouns})", re.IGNORECASE),
        ]
    if not any(extras.values()):
        return _PATTERNS
    last = {kind: index for index, (kind, _) in enumerate(_PATTERNS)}
    ordered: list[tuple[str, re.Pattern[str]]] = []
    for index, (kind, pattern) in enumerate(_PATTERNS):
        if last[kind] == index:
            ordered += [(kind, extra) for extra in extras[kind]]
        ordered.append((kind, pattern))
    return tuple(ordered)


# What had happened before the news: the past perfect ("the 15 that had opened by then"), and a
# clause dated in the past ("when the second wave was chosen two years ago").
_BACKGROUND = re.compile(
    r"\bhad\s+(?:already\s+|not\s+|never\s+|just\s+)?(?:been\s+)?[\w-]+|[^,;.!?\n]*\bago\b", re.IGNORECASE
)


def find_kind(
    title: str,
    body: str,
    vocabulary: Vocabulary,
    *,
    institute_count: int | None,
    institutes: int,
    named_in_title: int,
    funding_gbp: int | None,
) -> str:
    """The kind of event of an article with these facts ('other' when nothing says)."""
    scores = dict.fromkeys(KINDS, 0)
    for text, weight in ((title, _TITLE_WEIGHT), (body[:LEAD_CHARS], 1)):
        remaining = _BACKGROUND.sub(" ", text)
        for kind, pattern in kind_patterns(vocabulary):
            hits = pattern.findall(remaining)
            scores[kind] += weight * len(hits)
            remaining = pattern.sub(" ", remaining)
    # A sum is said of every kind of event: it makes a funding round only when nothing else is said.
    funding = scores.pop("funding")
    # Ties go to the later stage: a designation recalls its competition, rarely the reverse.
    best = max(("opening", "designation", "shortlist", "competition"), key=lambda k: scores[k])
    if scores[best] > 0:
        if best == "designation" and named_in_title == 1 and scores["opening"] > 0:
            return "opening"
        return best
    if named_in_title == 1 and (institute_count in (None, 1)):
        return "opening"
    if institute_count is not None and institute_count > 1 and institutes > 1:
        return "designation"
    if funding > 0 and funding_gbp is not None:
        return "funding"
    return "other"
