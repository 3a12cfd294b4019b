"""Places named outside organisation names: the nations and regions of England and the towns and
counties where Institutes of Technology are."""

from __future__ import annotations

import re

from iot_ingest.extract.facts.institutes import known_spans
from iot_ingest.extract.facts.text_spans import Spans

__all__ = ["PLACES", "find_places"]

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
    organisations = Spans([(start, end) for start, end, _ in known_spans(text)])
    for match in _PLACE.finditer(text):
        if organisations.overlaps(*match.span()):
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        after = text[match.end() : match.end() + 40]
        if _IN_ORG.search(before) or _IN_ORG.match(after):
            continue
        places.setdefault(match.group(0).removeprefix("the "), None)
    return list(places)
