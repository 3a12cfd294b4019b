"""A topic's registry of its institutes, and the indexes the fact extractors look names up in: every
spelling (own name, lead, aliases) to its entry, and the places that belong to exactly one entry.
Pure data; the topic loader (`iot_ingest.topics`) reads one from a topic's files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

__all__ = ["KnownInstitute", "Registry", "normalise", "slug"]


@dataclass(frozen=True)
class KnownInstitute:
    """One entry of a registry: a real institute, or a shortlisted bidder never designated."""

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


def normalise(name: str) -> str:
    text = name.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^\w' ]+", " ", text)
    return " ".join(text.split())


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-")


@dataclass(frozen=True)
class Registry:
    institutes: tuple[KnownInstitute, ...] = ()

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(k.key for k in self.institutes)

    @cached_property
    def candidates(self) -> dict[str, tuple[KnownInstitute, ...]]:
        """Normalised spelling -> every entry it names. An organisation leading two institutes (a
        university hosting two centres) names both: its first institute first (the earliest
        announced, then the registry's order)."""
        found: dict[str, list[KnownInstitute]] = {}
        for known in self.institutes:
            for spelling in dict.fromkeys(normalise(s) for s in (known.lead, known.name, *known.aliases) if s):
                found.setdefault(spelling, []).append(known)
        never = date.max
        return {s: tuple(sorted(ks, key=lambda k: k.announced_on or never)) for s, ks in found.items()}

    @cached_property
    def by_alias(self) -> dict[str, KnownInstitute]:
        """Normalised spelling -> the entry it names when nothing else in the text says which."""
        return {spelling: entries[0] for spelling, entries in self.candidates.items()}

    def in_context(
        self, spans: list[tuple[int, int, KnownInstitute]], text: str
    ) -> list[tuple[int, int, KnownInstitute]]:
        """`spans` with each spelling shared by several entries taken as the one of them the text
        also names by a spelling of its own ("Imperial College London" in a report naming its "Care
        Research & Technology Centre" is that centre's lead), else as the first of them."""
        shared = {s for s, entries in self.candidates.items() if len(entries) > 1}
        if not shared:
            return spans
        spellings = [normalise(text[start:end]) for start, end, _ in spans]
        named = {known.key for (_, _, known), s in zip(spans, spellings, strict=True) if s not in shared}
        resolved = []
        for (start, end, known), spelling in zip(spans, spellings, strict=True):
            if spelling in shared:
                inside = [k for k in self.candidates[spelling] if k.key in named]
                known = inside[0] if len(inside) == 1 else known
            resolved.append((start, end, known))
        return resolved

    @cached_property
    def own_names(self) -> frozenset[str]:
        return frozenset(normalise(k.name) for k in self.institutes if k.name)

    @cached_property
    def alias_pattern(self) -> re.Pattern[str] | None:
        """Any spelling of any entry as written: any spacing or punctuation, & for and."""
        if not self.by_alias:
            return None
        alternatives = [_flexible(alias) for alias in sorted(self.by_alias, key=len, reverse=True)]
        return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)

    def spans(self, text: str) -> list[tuple[int, int, KnownInstitute]]:
        """Where `text` names an entry or its lead, by any spelling."""
        if self.alias_pattern is None:
            return []
        return [(m.start(), m.end(), self.by_alias[normalise(m.group(0))]) for m in self.alias_pattern.finditer(text)]

    @cached_property
    def by_place(self) -> dict[str, str]:
        """Normalised place -> the key of the one entry it belongs to (a place of two names neither)."""
        owners: dict[str, set[str]] = {}
        for known in self.institutes:
            for place in known.places:
                owners.setdefault(normalise(place), set()).add(known.key)
        return {place: next(iter(keys)) for place, keys in owners.items() if len(keys) == 1}

    @cached_property
    def place_pattern(self) -> re.Pattern[str] | None:
        """The places of exactly one entry, as written (capitalised: "york" in running text is rarely the place)."""
        spellings = {p for k in self.institutes for p in k.places if normalise(p) in self.by_place}
        if not spellings:
            return None
        alternatives = [
            r"[\s-]+".join(r"(?:and|&)" if w in {"and", "&"} else re.escape(w) for w in re.split(r"[\s-]+", s))
            for s in sorted(spellings, key=len, reverse=True)
        ]
        return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")

    def of_place(self, name: str) -> KnownInstitute | None:
        """The one entry whose place the words of `name` give ("Solent" in "Solent Institute of
        Technology"); None when none or several do."""
        words = f" {normalise(name)} "
        matches = {k.key: k for k in self.institutes for place in k.places if f" {normalise(place)} " in words}
        return next(iter(matches.values())) if len(matches) == 1 else None


def _flexible(normalised_alias: str) -> str:
    parts = [
        r"(?:and|&)" if word == "and" else re.escape(word).replace("'", "['’]") for word in normalised_alias.split()
    ]
    return r"[\s,.-]*".join(parts)
