"""Places named outside organisation names: the UK's nations and England's regions, and the places
a topic's reports name; and the institutes a text names by their place alone."""

from __future__ import annotations

import re

from iot_ingest.extract.facts.registry import normalise
from iot_ingest.extract.facts.subject import Subject
from iot_ingest.extract.facts.text_spans import Spans

__all__ = ["find_places", "institutes_by_place"]

# A place inside an organisation's name ("University of Exeter", "York College") is not a place named.
_IN_ORG = re.compile(
    r"(?:University of|Queen Mary University of|College of)[ ]$|^[ ]+(?:(?:and|&)[ ](?:The[ ])?[A-Z]\w+[ ])?"
    r"(?:College|University|Colleges|Institute|Council|Group)\b"
)


def find_places(text: str, subject: Subject) -> list[str]:
    places: dict[str, None] = {}
    for match in _outside_organisations(text, subject.vocabulary.place_pattern, subject):
        places.setdefault(match.group(0).removeprefix("the "), None)
    return list(places)


def institutes_by_place(text: str, subject: Subject) -> frozenset[str]:
    """Registry keys of the institutes `text` names by their place alone, outside any organisation's
    name: a report of "twelve places" or "nine areas" that lists Barking, Dudley, Swindon ... names
    those institutes as surely as their leads would. A place of two institutes names neither."""
    registry = subject.registry
    if registry.place_pattern is None:
        return frozenset()
    found = _outside_organisations(text, registry.place_pattern, subject)
    return frozenset(registry.by_place[normalise(m.group(0))] for m in found)


def _outside_organisations(text: str, pattern: re.Pattern[str], subject: Subject) -> list[re.Match[str]]:
    organisations = Spans([(start, end) for start, end, _ in subject.registry.spans(text)])
    found = []
    for match in pattern.finditer(text):
        if organisations.overlaps(*match.span()):
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        after = text[match.end() : match.end() + 40]
        if not (_IN_ORG.search(before) or _IN_ORG.match(after)):
            found.append(match)
    return found
