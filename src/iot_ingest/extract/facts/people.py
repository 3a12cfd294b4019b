"""People quoted or named with a role: "Education Secretary Damian Hinds said", "Nadhim Zahawi, the
education secretary, said", "said Jane Smith, principal of Swindon College"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from iot_ingest.extract.facts.subject import Subject

__all__ = ["Person", "find_people", "role_patterns"]

_ROLE = (
    r"(?:(?:shadow|deputy|former|then)\s+)?(?:prime minister|education secretary|secretary of state for education|"
    r"(?:apprenticeships and )?skills minister|(?:further|higher) education minister|universities minister|"
    r"minister for (?:apprenticeships and skills|skills|further education|higher and further education|universities)|"
    r"chancellor(?: of the exchequer)?|business secretary|(?:group )?principal(?: and chief executive)?|"
    r"(?:deputy |pro[- ])?vice[- ]chancellor|(?:group )?chief executive(?: officer)?|(?:managing )?director|"
    r"chair(?:man|woman)?|dean|head|president|ceo)"
)
_HONORIFIC = r"(?:(?:Dr|Professor|Prof|Sir|Dame|Lord|Baroness|Lady)\.?[ ]+)?"
_TOKEN = r"(?:[A-Z]['’])?(?:Ma?c)?[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?"  # O'Brien, McDonald, Ing-wen; not Trump's
_NAME = r"(?P<name>" + _HONORIFIC + _TOKEN + r"(?:[ ]" + _TOKEN + r"){1,2})"
_ORG = r"[A-Z][\w&'’-]*(?:[ ](?:[A-Z][\w&'’-]*|&|and|of|the|for)){0,7}"
# Words that make a capitalised run an organisation or a title, not a person's name.
_NOT_NAME = {
    "college", "colleges", "university", "institute", "institutes", "technology", "department", "education",
    "secretary", "minister", "government", "group", "community", "school", "council", "trust", "centre", "the",
    "of", "and", "prime", "skills", "business", "news", "week", "levels", "level", "england", "london", "said",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
_ORG_NEXT = re.compile(r"[ ]+(?:College|Colleges|University|Institute|Group|Council|Trust|School|Centre)\b")


@cache
def role_patterns(extra_roles: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The three ways a person is introduced, with the topic's own roles besides the built-in ones."""
    role = "(?:" + "|".join((*extra_roles, _ROLE)) + ")" if extra_roles else _ROLE
    return (
        re.compile(r"(?i:\b(?P<role>" + role + r"))[ ]+" + _NAME + r"\b"),
        re.compile(r"(?i:\b(?P<role>" + role + r")),[ ]+" + _NAME + r"\b"),
        re.compile(
            _NAME + r",[ ]+(?i:(?:the[ ]+)?(?P<role>" + role + r"))(?P<org>[ ]+(?:of|at)[ ]+(?:the[ ]+)?" + _ORG + r")?"
        ),
    )


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None


def find_people(text: str, subject: Subject) -> list[Person]:
    found: list[tuple[int, Person]] = []
    for pattern in role_patterns(subject.vocabulary.roles):
        for match in pattern.finditer(text):
            name = _trim_name(match.group("name"))
            if name is None or _ORG_NEXT.match(text, match.end("name")):
                continue
            role = " ".join((match.group("role") + (match.groupdict().get("org") or "")).split())
            found.append((match.start(), Person(name, role)))
    people: dict[str, Person] = {}
    for _, person in sorted(found, key=lambda item: item[0]):
        people.setdefault(person.name, person)
    return list(people.values())


def _trim_name(name: str) -> str | None:
    """The person's name alone: a run like "Damian Hinds Community" is an organisation, not a name."""
    words = name.split()
    if any(word.lower().strip(".") in _NOT_NAME for word in words):
        return None
    return " ".join(words)
