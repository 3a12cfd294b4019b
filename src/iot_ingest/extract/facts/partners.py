"""Partner organisations: employers listed after "firms including ...", and universities and
colleges named anywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass

from iot_ingest.extract.facts.subject import Subject
from iot_ingest.extract.facts.text_spans import Spans

__all__ = ["Partner", "find_partners"]

_CAP = r"[A-Z][\w&.'’-]*(?:[ ][A-Z][\w&.'’-]*){0,3}"
_EMPLOYERS = re.compile(
    r"\b(?i:employers|firms|companies|businesses|industry partners|partners)\b[^.\n]{0,40}?"
    r"\b(?:including|such as|like|among them)[ ]+(?:(?:top|major|leading|global|big|local)[ ]+)?"
    r"(?:(?:firms|employers|companies|names)[ ]+)?"
    r"(?P<list>" + _CAP + r"(?:,[ ]+" + _CAP + r")*(?:,?[ ]+and[ ]+" + _CAP + r")?)"
)
_UNIVERSITY = re.compile(
    r"\b(?:University of (?:the )?[A-Z][a-z]+(?:[ ](?:[A-Z][a-z]+|London))?|"
    r"(?:[A-Z][a-z]+[ ]){1,3}University(?:[ ]of[ ]London)?)\b"
)
_COLLEGE = re.compile(
    r"\b(?:[A-Z][\w&'’-]*[ ](?:(?:and|&|upon|on|under)[ ](?:The[ ])?)?){1,4}(?:College|Colleges Group|College Group)\b"
)
# "Firms in places like Europe and Japan": places, not employers (and the topic's places).
_ABROAD = {
    "Europe", "Asia", "Africa", "America", "North America", "South America", "China", "Japan", "India", "Canada",
    "Mexico", "Germany", "France", "Britain", "Great Britain", "UK", "US", "USA", "EU", "Australia", "Ireland",
}  # fmt: skip
MAX_PARTNERS = 100  # an announcement names a few dozen at most; beyond is a directory, not news
_NOT_LEADING = {"The", "A", "An", "Each", "Every", "Our", "This", "Further", "Higher", "Education", "Local", "New"}


@dataclass(frozen=True)
class Partner:
    name: str
    kind: str  # employer | university | college


def find_partners(text: str, subject: Subject) -> list[Partner]:
    """Employers, universities and colleges in order of first mention; known institutes' leads by
    their full names ("Dudley College of Technology", not "Dudley College")."""
    found: list[tuple[int, Partner]] = []
    known = subject.registry.spans(text)
    not_employers = _ABROAD | set(subject.vocabulary.all_places)
    organisations = Spans([(start, end) for start, end, _ in known])
    for start, _, institute in known:
        found.append((start, Partner(institute.lead, _kind(institute.lead))))
    for match in _EMPLOYERS.finditer(text):
        for written in re.split(r",[ ]+|,?[ ]+and[ ]+", match.group("list")):
            name = written.strip().rstrip(".")
            if name not in not_employers:
                found.append((match.start("list"), Partner(name, "employer")))
    for pattern, kind in ((_UNIVERSITY, "university"), (_COLLEGE, "college")):
        for match in pattern.finditer(text):
            name = _strip_leading(match.group(0))
            if organisations.overlaps(*match.span()):
                continue
            if name.split()[0] not in {"University", "College"} or " of " in name:
                found.append((match.start(), Partner(name, kind)))
    partners: dict[str, Partner] = {}
    for _, partner in sorted(found, key=lambda item: item[0]):
        if len(partners) >= MAX_PARTNERS:
            break
        if partner.name and not any(partner.name in other for other in partners):
            partners.setdefault(partner.name, partner)
    return list(partners.values())


def _kind(name: str) -> str:
    return "university" if "University" in name and "College" not in name else "college"


def _strip_leading(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0] in _NOT_LEADING:
        words = words[1:]
    return " ".join(words)
