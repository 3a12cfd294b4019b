"""A topic's words for its institutes and events, compiled once into the patterns the fact extractors
use. The extractors know how announcements are written (counts, sums, people, kinds of event); the
vocabulary says what this programme calls the things they count and name. Pure data, no I/O: the
topic loader (`iot_ingest.topics`) builds one from a topic file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from iot_ingest.extract.facts.numbers import NUMBER_PATTERN

__all__ = ["GENERIC_PLACES", "KIND_NAMES", "Vocabulary"]

# The kinds of event a topic may add wording for (see kinds.py for the built-in wording).
KIND_NAMES = ("competition", "shortlist", "designation", "opening", "funding")

# Places every topic knows: the UK's nations and England's regions.
GENERIC_PLACES = (
    "England", "Wales", "Scotland", "Northern Ireland", "United Kingdom",
    "North East", "North West", "Yorkshire and the Humber", "Yorkshire and Humber", "Yorkshire", "East Midlands",
    "West Midlands", "East of England", "London", "South East", "South West", "the Midlands",
)  # fmt: skip

# Counted for every topic: the stages of a competition ("nine bids have been successful").
_GENERIC_NOUNS = (
    r"institutes\b", r"winners\b", r"bids\b", r"bidders\b", r"applicants\b", r"applications\b", r"proposals\b",
    r"consortia\b", r"partnerships\b",
)  # fmt: skip
_COUNT_QUALIFIERS = r"up to|a further|another|more than|at least|around|about|nearly|almost|some"
_COUNT_ADJECTIVES = r"new|more|further|additional|successful|other|shortlisted"


@dataclass(frozen=True)
class Vocabulary:
    """What a topic calls its institutes and how its reports say what happened.

    nouns          regular expressions for the institutes when counted ("institutes?\\s+of\\s+technology")
    name_suffixes  what follows a proper name to make an institute's name ("Institute of Technology")
    elsewhere      leading words that make such a name another programme's ("Indian")
    organisations  words marking a list line as an organisation ("College", "University")
    places         places the topic's reports name, besides GENERIC_PLACES
    common_words   words every report on the topic uses: no help in telling events apart
    roles          extra roles that introduce a person ("centre director"), regular expressions
    kinds          extra wording per kind of event, regular expressions
    """

    nouns: tuple[str, ...] = ()
    name_suffixes: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ("College", "Colleges", "University", "Group")
    places: tuple[str, ...] = ()
    common_words: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    kinds: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=tuple)

    @cached_property
    def count_pattern(self) -> re.Pattern[str]:
        nouns = "|".join((*self.nouns, *_GENERIC_NOUNS))
        return re.compile(
            rf"\b(?:(?P<qualifier>{_COUNT_QUALIFIERS})\s+)?(?P<count>{NUMBER_PATTERN})\s+"
            rf"(?:(?P<adjective>{_COUNT_ADJECTIVES})\s+)?(?P<noun>{nouns})",
            re.IGNORECASE,
        )

    @cached_property
    def institutes_named(self) -> re.Pattern[str] | None:
        """The topic's own nouns (not the generic ones): "twelve places will host new <noun>"."""
        alternatives = [*self.nouns, *(re.escape(s) for s in self.name_suffixes)]
        return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE) if alternatives else None

    @cached_property
    def named_pattern(self) -> re.Pattern[str] | None:
        """ "X <suffix>": capitalised words (with and, &, of, the between them) before a suffix."""
        if not self.name_suffixes:
            return None
        suffixes = "|".join(re.escape(s) for s in sorted(self.name_suffixes, key=len, reverse=True))
        return re.compile(
            r"(?<![\w’'-])(?P<name>[A-Z][\w’'-]*(?:[ \t]+(?:[A-Z][\w’'-]*|&|and|of|the)){0,7})"
            rf"[ \t]+(?:{suffixes})\b"
        )

    @cached_property
    def elsewhere_pattern(self) -> re.Pattern[str] | None:
        if not self.elsewhere:
            return None
        words = "|".join(re.escape(w) for w in sorted(self.elsewhere, key=len, reverse=True))
        return re.compile(rf"^(?:{words})\b", re.IGNORECASE)

    @cached_property
    def organisation_line(self) -> re.Pattern[str]:
        """A list line naming an organisation: one of the words, or an acronym alone ("NCG")."""
        words = "|".join(re.escape(w) for w in (*self.organisations, *self.name_suffixes))
        return re.compile(rf"\b(?:{words})\b|^[A-Z]{{2,6}}$" if words else r"^[A-Z]{2,6}$")

    @cached_property
    def all_places(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*GENERIC_PLACES, *self.places)))

    @cached_property
    def place_pattern(self) -> re.Pattern[str]:
        alternatives = "|".join(re.escape(p) for p in sorted(self.all_places, key=len, reverse=True))
        return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])")

    @cached_property
    def common(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.common_words)

    def wording_for(self, kind: str) -> tuple[re.Pattern[str], ...]:
        """The topic's own wording for a kind of event (kinds.kind_patterns puts it with the built-in)."""
        return self._kind_patterns.get(kind, ())

    @cached_property
    def _kind_patterns(self) -> dict[str, tuple[re.Pattern[str], ...]]:
        return {kind: tuple(re.compile(p, re.IGNORECASE) for p in patterns) for kind, patterns in self.kinds}
