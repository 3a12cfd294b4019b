"""Institutes named in an article: the topic's known ones by any of their names (HCUC, HRUC, ...),
and others from "X <name suffix>" in prose ("Solent Institute of Technology") or from a list of lead
organisations under a heading.

Each keeps its name as first written (a list line whole: "HCUC (Harrow College & Uxbridge College)")
and a normalised key that every spelling of it shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iot_ingest.extract.facts.registry import KnownInstitute, normalise, slug
from iot_ingest.extract.facts.subject import Subject
from iot_ingest.extract.facts.text_spans import Spans

__all__ = ["Institute", "KnownInstitute", "Mention", "find_institutes", "normalise", "resolve", "slug"]

_MAX_LIST_LINE = 90
_LEADING_NOT_NAME = {
    "the", "a", "an", "new", "each", "every", "our", "this", "that", "its", "their", "first", "second",
    "existing", "local", "proposed", "planned", "future", "any", "one", "nine", "twelve", "eight", "and", "of",
}  # fmt: skip


@dataclass(frozen=True)
class Institute:
    name: str  # as first written
    key: str  # the same for every spelling of one institute
    canonical: str | None  # the lead organisation (or the institute's own name), when known
    wave: int | None


@dataclass(frozen=True)
class Mention:
    institute: Institute
    start: int
    named_as_institute: bool  # "X Institute of Technology", not its lead college


def find_institutes(text: str, subject: Subject) -> list[Mention]:
    """Every institute mention in `text`, in order (several per institute)."""
    registry, vocabulary = subject.registry, subject.vocabulary
    mentions: list[Mention] = []
    taken = Spans()
    for start, end, known in registry.in_context(registry.spans(text), text):
        written = text[start:end]
        institute = Institute(_display(text, start, written, subject), known.key, known.lead, known.wave)
        mentions.append(Mention(institute, start, normalise(written) in registry.own_names))
        taken.add(start, end)
    named = vocabulary.named_pattern
    for match in named.finditer(text) if named is not None else ():
        start, name = _strip_leading(match.start("name"), match.group("name"))
        if not name or _elsewhere(match.group("name"), subject) or taken.overlaps(start, match.end()):
            continue
        written = name + text[match.end("name") : match.end()]
        placed = registry.of_place(name)
        key, lead, wave = (placed.key, placed.lead, placed.wave) if placed else (slug(written), None, None)
        mentions.append(Mention(Institute(written, key, lead, wave), start, True))
        taken.add(start, match.end())
    mentions += _listed(text, taken, subject)
    return sorted(mentions, key=lambda m: m.start)


def resolve(name: str, subject: Subject) -> KnownInstitute | None:
    """The registry entry a name as written stands for: the institute's own name, its lead's or an
    alias, also inside a longer line ("HCUC (Harrow College & Uxbridge College)") when that names
    one institute only; else an "X <name suffix>" whose X is a place of exactly one."""
    registry = subject.registry
    exact = registry.by_alias.get(normalise(name))
    if exact is not None:
        return exact
    found = {known.key: known for _, _, known in registry.spans(name)}
    if len(found) == 1:
        return next(iter(found.values()))
    if found or subject.vocabulary.named_pattern is None:
        return None
    named = subject.vocabulary.named_pattern.search(name)
    if named is None or _elsewhere(named.group("name"), subject):
        return None
    return registry.of_place(_strip_leading(0, named.group("name"))[1])


def _elsewhere(name: str, subject: Subject) -> bool:
    """From any of its words on, the name is another programme's institute ("The New York ...": the
    leading words stripped from a name must not hide where it is)."""
    pattern = subject.vocabulary.elsewhere_pattern
    if pattern is None:
        return False
    return any(pattern.match(name[word.start() :]) for word in re.finditer(r"(?<![\w'’-])\w", name))


def _strip_leading(start: int, name: str) -> tuple[int, str]:
    """Drop the words before a name ("The new Swindon and Wiltshire ..."), moving its start along."""
    while (word := re.match(r"(\S+)[ \t]+", name)) and word.group(1).lower() in _LEADING_NOT_NAME:
        start, name = start + word.end(), name[word.end() :]
    return (start, "") if name.lower() in _LEADING_NOT_NAME else (start, name)


def _display(text: str, start: int, written: str, subject: Subject) -> str:
    """A list line naming one known institute is kept whole ("HCUC (Harrow College & Uxbridge
    College)"); otherwise the name as matched."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = _clean_line(text[line_start : line_end if line_end >= 0 else len(text)])
    if not _is_list_line(line):
        return " ".join(written.split())
    keys = {known.key for _, _, known in subject.registry.spans(line)}
    rest = re.sub(r"\([^)]*\)", "", line.replace(written, "", 1)).strip()
    return line if len(keys) == 1 and not rest else " ".join(written.split())


def _listed(text: str, taken: Spans, subject: Subject) -> list[Mention]:
    """Unknown organisations in a list under a heading ending in ':' ("The lead institutions are:")."""
    organisation = subject.vocabulary.organisation_line
    found = []
    offset = 0
    under_heading = False
    for raw in text.split("\n"):
        line = _clean_line(raw)
        start, offset = offset, offset + len(raw) + 1
        if not line:
            continue
        if line.endswith(":"):
            under_heading = True
            continue
        if not (under_heading and _is_list_line(line)):
            under_heading = False
            continue
        if organisation.search(line) and not taken.overlaps(start, start + len(raw)):
            found.append(Mention(Institute(line, slug(line), None, None), start, False))
    return found


def _clean_line(line: str) -> str:
    return line.strip().lstrip("•*-–· ").rstrip(";,.").strip()


def _is_list_line(line: str) -> bool:
    return 0 < len(line) <= _MAX_LIST_LINE and not re.search(r"[.!?]\s", line) and line[:1].isupper()
