"""Places named outside organisation names: the nations and regions of England and the towns and
counties where Institutes of Technology are; and the institutes a text names by their place alone."""

from __future__ import annotations

import re
from functools import cache

from iot_ingest.extract.facts.institutes import known_institutes, known_spans, normalise
from iot_ingest.extract.facts.text_spans import Spans

__all__ = ["PLACES", "find_places", "institutes_by_place"]

PLACES = (
    "England", "Wales", "Scotland", "Northern Ireland", "United Kingdom",
    "North East", "North West", "Yorkshire and the Humber", "Yorkshire and Humber", "Yorkshire", "East Midlands",
    "West Midlands", "East of England", "London", "South East", "South West", "the Midlands", "Black Country",
    "Barking", "Dagenham", "Dudley", "Harrow", "Uxbridge", "Richmond", "Milton Keynes", "Bletchley", "Durham",
    "Solihull", "Birmingham", "Swindon", "Wiltshire", "Exeter", "Devon", "Lincoln", "Lincolnshire",
    "Weston-super-Mare", "Somerset", "York", "Blackpool", "Fylde", "Lancashire", "Cheshire", "Crewe", "Ellesmere Port",
    "Chichester", "West Sussex", "Sussex", "Doncaster", "North Lincolnshire", "Newcastle-under-Lyme", "Stafford",
    "Staffordshire", "Southampton", "Hampshire", "Essex", "Southend", "Thurrock", "Derby", "Derbyshire", "Salford",
    "Greater Manchester", "Manchester", "Newcastle", "Hereford", "Bristol", "Leeds", "Sheffield", "Suffolk",
)  # fmt: skip
_PLACE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in sorted(PLACES, key=len, reverse=True)) + r")(?![\w-])"
)
# A place inside an organisation's name ("University of Exeter", "York College") is not a place named.
_IN_ORG = re.compile(
    r"(?:University of|Queen Mary University of|College of)[ ]$|^[ ]+(?:(?:and|&)[ ](?:The[ ])?[A-Z]\w+[ ])?"
    r"(?:College|University|Colleges|Institute|Council|Group)\b"
)


def find_places(text: str) -> list[str]:
    places: dict[str, None] = {}
    for match in _outside_organisations(text, _PLACE):
        places.setdefault(match.group(0).removeprefix("the "), None)
    return list(places)


def institutes_by_place(text: str) -> frozenset[str]:
    """Registry keys of the institutes `text` names by their place alone, outside any organisation's
    name: a report of "twelve places" or "nine areas" that lists Barking, Dudley, Swindon ... names
    those institutes as surely as their leads would. A place of two institutes names neither."""
    pattern, by_place = _registry_places()
    return frozenset(by_place[normalise(m.group(0))] for m in _outside_organisations(text, pattern))


def _outside_organisations(text: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    organisations = Spans([(start, end) for start, end, _ in known_spans(text)])
    found = []
    for match in pattern.finditer(text):
        if organisations.overlaps(*match.span()):
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        after = text[match.end() : match.end() + 40]
        if not (_IN_ORG.search(before) or _IN_ORG.match(after)):
            found.append(match)
    return found


@cache
def _registry_places() -> tuple[re.Pattern[str], dict[str, str]]:
    """The registry's places that belong to exactly one institute, and a pattern finding them as
    written (capitalised: "york" or "derby" in running text is rarely the place)."""
    owners: dict[str, set[str]] = {}
    spellings: set[str] = set()
    for known in known_institutes():
        for place in known.places:
            owners.setdefault(normalise(place), set()).add(known.key)
            spellings.add(place)
    by_place = {place: next(iter(keys)) for place, keys in owners.items() if len(keys) == 1}
    alternatives = [
        r"[\s-]+".join(r"(?:and|&)" if w in {"and", "&"} else re.escape(w) for w in re.split(r"[\s-]+", s))
        for s in sorted(spellings, key=len, reverse=True)
        if normalise(s) in by_place
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])"), by_place
