"""Announcement facts from an article's title and text: institutes named, how many the announcement
is about, sums of money, people, partners, qualification levels, places and dates. Pure functions.

Each part is a small module; `extract_facts` puts them together. The text is capped, so the work is
bounded whatever arrives (an announcement is never longer than that).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from iot_ingest.extract.facts.counts import find_count
from iot_ingest.extract.facts.dates import DateMention, announcement_date, find_dates, uk_date
from iot_ingest.extract.facts.institutes import Institute, find_institutes
from iot_ingest.extract.facts.kinds import KINDS, find_kind, kind_patterns
from iot_ingest.extract.facts.levels import find_levels
from iot_ingest.extract.facts.money import Sum, find_sums, headline_sum
from iot_ingest.extract.facts.partners import Partner, find_partners
from iot_ingest.extract.facts.people import Person, find_people, role_patterns
from iot_ingest.extract.facts.places import find_places
from iot_ingest.extract.facts.registry import KnownInstitute, Registry
from iot_ingest.extract.facts.subject import Subject
from iot_ingest.extract.facts.vocabulary import Vocabulary

__all__ = [
    "KINDS",
    "MAX_TEXT",
    "DateMention",
    "Facts",
    "Institute",
    "KnownInstitute",
    "Partner",
    "Person",
    "Registry",
    "Subject",
    "Sum",
    "Vocabulary",
    "check_patterns",
    "extract_facts",
]

MAX_TEXT = 100_000  # characters of body read: a long page's facts are in its first pages anyway
MAX_TITLE = 1_000


@dataclass(frozen=True)
class Facts:
    institute_count: int | None  # how many institutes the announcement creates, names or shortlists
    count_qualifier: str | None  # "up to", "a further", ... None when exact
    count_text: str | None  # the phrase the count comes from, as written
    funding_gbp: int | None  # the headline sum in pounds
    sums: tuple[Sum, ...]
    institutes: tuple[Institute, ...]
    people: tuple[Person, ...]
    partners: tuple[Partner, ...]
    qualification_levels: tuple[str, ...]
    places: tuple[str, ...]
    announced_on: str | None  # ISO date: the day of the announcement, in UK time
    dates: tuple[DateMention, ...]
    kind: str = "other"  # competition, shortlist, designation, opening, funding or other

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def extract_facts(title: str | None, body: str, published_at: datetime | None, subject: Subject) -> Facts:
    """The facts of an article about `subject` (a topic's registry and vocabulary)."""
    title = (title or "")[:MAX_TITLE]
    body = body[:MAX_TEXT]
    title_mentions = find_institutes(title, subject)
    mentions = [*title_mentions, *find_institutes(body, subject)]
    institutes: dict[str, Institute] = {}
    for mention in mentions:
        institutes.setdefault(mention.institute.key, mention.institute)
    named_in_title = {m.institute.key for m in title_mentions if m.named_as_institute}
    count = find_count(title, body, len(named_in_title), subject.vocabulary)
    title_sums, body_sums = find_sums(title), find_sums(body)
    headline = headline_sum(title_sums, body_sums)
    text = f"{title}\n\n{body}" if title else body
    published_on = uk_date(published_at)
    announced = announcement_date(text, published_on)
    return Facts(
        institute_count=count.value if count else None,
        count_qualifier=count.qualifier if count else None,
        count_text=(count.text or None) if count else None,
        funding_gbp=headline.gbp if headline else None,
        sums=tuple(_distinct([*title_sums, *body_sums])),
        institutes=tuple(institutes.values()),
        people=tuple(find_people(text, subject)),
        partners=tuple(find_partners(text, subject)),
        qualification_levels=tuple(find_levels(text)),
        places=tuple(find_places(text, subject)),
        announced_on=announced.isoformat() if announced else None,
        dates=tuple(find_dates(text, published_on)),
        kind=find_kind(
            title,
            body,
            subject.vocabulary,
            institute_count=count.value if count else None,
            institutes=len(institutes),
            named_in_title=len(named_in_title),
            funding_gbp=headline.gbp if headline else None,
        ),
    )


def check_patterns(vocabulary: Vocabulary) -> None:
    """Compile every pattern the vocabulary's words make together (raises re.error): a word that is
    a valid pattern alone may not be inside a larger one (an inline flag, a group name taken)."""
    names = ("count_pattern", "institutes_named", "named_pattern", "elsewhere_pattern", "organisation_line")
    for name in (*names, "place_pattern"):
        getattr(vocabulary, name)  # compiled when first read
    kind_patterns(vocabulary)
    role_patterns(vocabulary.roles)


def _distinct(sums: list[Sum]) -> list[Sum]:
    """One entry per sum stated: a release repeats its headline sum in the lead and the body."""
    seen: set[tuple[int, str | None]] = set()
    kept = []
    for item in sums:
        if (item.gbp, item.qualifier) not in seen:
            seen.add((item.gbp, item.qualifier))
            kept.append(item)
    return kept
