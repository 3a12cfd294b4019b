"""Institutes named in an article: the known ones by any of their names (HCUC, HRUC, ...), and others
from "X Institute of Technology" in prose or from a list of lead organisations under a heading.

Each keeps its name as first written (a list line whole: "HCUC (Harrow College & Uxbridge College)")
and a normalised key that every spelling of it shares.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from iot_ingest.extract.facts.text_spans import Spans

__all__ = [
    "Institute",
    "KnownInstitute",
    "Mention",
    "find_institutes",
    "known_institutes",
    "known_spans",
    "normalise",
    "resolve",
    "slug",
]

_MAX_LIST_LINE = 90
# An organisation's name, or an acronym alone on its line ("NCG").
_ORG_LINE = re.compile(r"\b(College|Colleges|University|Institute of Technology|IoT|Group)\b|^[A-Z]{2,6}$")
# "X Institute of Technology" / "X IoT": capitalised words (with and, &, of, the between them).
_NAMED_IOT = re.compile(
    r"(?<![\w’'-])(?P<name>[A-Z][\w’'-]*(?:[ \t]+(?:[A-Z][\w’'-]*|&|and|of|the)){0,7})"
    r"[ \t]+(?:Institute of Technology|IoT)\b"
)
_LEADING_NOT_NAME = {
    "the", "a", "an", "new", "each", "every", "our", "this", "that", "its", "their", "first", "second",
    "existing", "local", "proposed", "planned", "future", "any", "one", "nine", "twelve", "eight", "and", "of",
}  # fmt: skip
# Other countries' and universities' institutes of technology: never one of these.
_ELSEWHERE = re.compile(
    r"^(indian|new york|massachusetts|california|georgia|karlsruhe|tokyo|royal melbourne|dublin|cork|athlone|"
    r"limerick|sligo|carlow|tralee|letterkenny|galway|dundalk|waterford|minnesota|university of minnesota|"
    r"stevens|rochester|florida|illinois|new jersey|technological|industrial|consumer|enterprise|"
    r"cellular|smart|edge|massive)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class KnownInstitute:
    """One entry of the registry: a real institute, or a shortlisted bidder never designated."""

    key: str
    lead: str
    name: str | None
    aliases: tuple[str, ...]
    wave: int | None
    partners: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    status: str = "designated"
    announced_on: date | None = None
    opened_on: date | None = None


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


def normalise(name: str) -> str:
    text = name.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^\w' ]+", " ", text)
    return " ".join(text.split())


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-")


@cache
def known_institutes() -> tuple[KnownInstitute, ...]:
    data = tomllib.loads(resources.files("iot_ingest").joinpath("topics", "known_institutes.toml").read_text("utf-8"))
    return tuple(
        KnownInstitute(
            key=entry["key"],
            lead=entry["lead"],
            name=entry.get("name"),
            aliases=tuple(entry.get("aliases", ())),
            wave=entry.get("wave"),
            partners=tuple(entry.get("partners", ())),
            places=tuple(entry.get("places", ())),
            status=entry.get("status", "designated" if entry.get("wave") else "proposed"),
            announced_on=entry.get("announced_on"),
            opened_on=entry.get("opened_on"),
        )
        for entry in data["institute"]
    )


@cache
def _alias_index() -> tuple[re.Pattern[str], dict[str, KnownInstitute], frozenset[str]]:
    by_alias: dict[str, KnownInstitute] = {}
    own_names: set[str] = set()
    for known in known_institutes():
        for spelling in (known.lead, known.name, *known.aliases):
            if spelling:
                by_alias[normalise(spelling)] = known
        if known.name:
            own_names.add(normalise(known.name))
    alternatives = [_flexible(alias) for alias in sorted(by_alias, key=len, reverse=True)]
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)
    return pattern, by_alias, frozenset(own_names)


def _flexible(normalised_alias: str) -> str:
    """A normalised alias as a pattern over raw text: any spacing or punctuation, & for and."""
    parts = [
        r"(?:and|&)" if word == "and" else re.escape(word).replace("'", "['’]") for word in normalised_alias.split()
    ]
    return r"[\s,.-]*".join(parts)


def known_spans(text: str) -> list[tuple[int, int, KnownInstitute]]:
    """Where `text` names a known institute or its lead, by any spelling."""
    pattern, by_alias, _ = _alias_index()
    return [(m.start(), m.end(), by_alias[normalise(m.group(0))]) for m in pattern.finditer(text)]


def find_institutes(text: str) -> list[Mention]:
    """Every institute mention in `text`, in order (several per institute)."""
    pattern, by_alias, own_names = _alias_index()
    mentions: list[Mention] = []
    taken = Spans()
    for match in pattern.finditer(text):
        known = by_alias[normalise(match.group(0))]
        institute = Institute(
            _display(text, match.start(), match.group(0), pattern, by_alias), known.key, known.lead, known.wave
        )
        mentions.append(Mention(institute, match.start(), normalise(match.group(0)) in own_names))
        taken.add(*match.span())
    for match in _NAMED_IOT.finditer(text):
        start, name = _strip_leading(match.start("name"), match.group("name"))
        if not name or _elsewhere(match.group("name")) or taken.overlaps(start, match.end()):
            continue
        written = name + text[match.end("name") : match.end()]
        placed = _by_place(name)
        key, lead, wave = (placed.key, placed.lead, placed.wave) if placed else (slug(written), None, None)
        institute = Institute(written, key, lead, wave)
        mentions.append(Mention(institute, start, True))
        taken.add(start, match.end())
    mentions += _listed(text, taken)
    return sorted(mentions, key=lambda m: m.start)


def resolve(name: str) -> KnownInstitute | None:
    """The registry entry a name as written stands for: the institute's own name, its lead's or an
    alias, also inside a longer line ("HCUC (Harrow College & Uxbridge College)") when that names
    one institute only; else an "X Institute of Technology" whose X is a place of exactly one."""
    pattern, by_alias, _ = _alias_index()
    exact = by_alias.get(normalise(name))
    if exact is not None:
        return exact
    found = {by_alias[normalise(m.group(0))].key: by_alias[normalise(m.group(0))] for m in pattern.finditer(name)}
    if len(found) == 1:
        return next(iter(found.values()))
    if found:
        return None
    named = _NAMED_IOT.search(name)
    if named is None or _elsewhere(named.group("name")):
        return None
    return _by_place(_strip_leading(0, named.group("name"))[1])


def _elsewhere(name: str) -> bool:
    """From any of its words on, the name is another country's or university's institute ("The New
    York ...": the leading words stripped from a name must not hide where it is)."""
    return any(_ELSEWHERE.match(name[word.start() :]) for word in re.finditer(r"(?<![\w'’-])\w", name))


def _by_place(name: str) -> KnownInstitute | None:
    """The one registry entry whose place the words of `name` give ("Solent" in "Solent Institute
    of Technology"); None when none or several do."""
    words = f" {normalise(name)} "
    matches = {k.key: k for k in known_institutes() for place in k.places if f" {normalise(place)} " in words}
    return next(iter(matches.values())) if len(matches) == 1 else None


def _strip_leading(start: int, name: str) -> tuple[int, str]:
    """Drop the words before a name ("The new Swindon and Wiltshire ..."), moving its start along."""
    while (word := re.match(r"(\S+)[ \t]+", name)) and word.group(1).lower() in _LEADING_NOT_NAME:
        start, name = start + word.end(), name[word.end() :]
    return (start, "") if name.lower() in _LEADING_NOT_NAME else (start, name)


def _display(text: str, start: int, written: str, pattern: re.Pattern[str], by_alias: dict[str, KnownInstitute]) -> str:
    """A list line naming one known institute is kept whole ("HCUC (Harrow College & Uxbridge
    College)"); otherwise the name as matched."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = _clean_line(text[line_start : line_end if line_end >= 0 else len(text)])
    if not _is_list_line(line):
        return " ".join(written.split())
    keys = {by_alias[normalise(m.group(0))].key for m in pattern.finditer(line)}
    rest = re.sub(r"\([^)]*\)", "", line.replace(written, "", 1)).strip()
    return line if len(keys) == 1 and not rest else " ".join(written.split())


def _listed(text: str, taken: Spans) -> list[Mention]:
    """Unknown organisations in a list under a heading ending in ':' ("The lead institutions are:")."""
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
        if _ORG_LINE.search(line) and not taken.overlaps(start, start + len(raw)):
            found.append(Mention(Institute(line, slug(line), None, None), start, False))
    return found


def _clean_line(line: str) -> str:
    return line.strip().lstrip("•*-–· ").rstrip(";,.").strip()


def _is_list_line(line: str) -> bool:
    return 0 < len(line) <= _MAX_LIST_LINE and not re.search(r"[.!?]\s", line) and line[:1].isupper()
