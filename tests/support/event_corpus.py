"""The labelled corpora of event coverage (tests/fixtures/events, tests/fixtures/more-events): their
pages as captures, what a warehouse loaded with them says, and how that scores against the labels.

The tests ask for every score to be 1.0; `bench/events.py` prints them per corpus.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from typing import Any

from iot_ingest.archive import Capture
from iot_ingest.ukdates import uk_day
from tests.support.clustering import adjusted_rand_index
from tests.support.digest import rows

__all__ = ["CORPORA", "TOPIC_CORPORA", "EventCorpus", "Observed", "Scores", "expected", "observed", "score"]

FIXTURES = Path(__file__).parents[1] / "fixtures"
CORPORA = ("events", "more-events")  # the built-in topic's
# Another topic's corpus, and the topic file it is labelled for.
TOPIC_CORPORA = {
    "topic-ukdri": Path(__file__).parents[2] / "examples" / "topics" / "uk_dementia_research_institute.toml"
}


@dataclass(frozen=True)
class EventCorpus:
    name: str
    directory: Path
    events: dict[str, dict[str, Any]]
    pages: tuple[dict[str, Any], ...]

    @classmethod
    def load(cls, name: str) -> EventCorpus:
        directory = FIXTURES / name
        manifest = tomllib.loads((directory / "manifest.toml").read_text("utf-8"))
        return cls(name, directory, {e["name"]: e for e in manifest["event"]}, tuple(manifest["page"]))

    def captures(self) -> list[Capture]:
        return [
            Capture(
                url=page["url"],
                fetched_at=page["fetched_at"].astimezone(UTC),
                status=200,
                headers=(("Content-Type", "text/html; charset=utf-8"),),
                body=(self.directory / page["file"]).read_bytes(),
            )
            for page in self.pages
        ]

    @property
    def reported(self) -> list[dict[str, Any]]:
        """The pages that report an event."""
        return [p for p in self.pages if p["event"]]


@dataclass(frozen=True)
class Observed:
    """What a warehouse says of a corpus, in the shape of its labels."""

    relevant: dict[str, bool]  # by URL
    grouping: dict[str, str]  # URL -> its event (labels) or announcement (warehouse), reporting pages only
    days: dict[str, date | None]  # UK day published, reporting pages only
    date_sources: dict[str, str | None]
    copies: dict[str, str | None]  # URL -> the URL of the page it copies
    announcements: list[tuple[Any, ...]]  # (announced_on, kind, count or -1, sum, articles), sorted
    institutes: dict[date, list[str]]  # announced_on -> institute ids, for the events that list them


def expected(corpus: EventCorpus) -> Observed:
    by_file = {p["file"]: p["url"] for p in corpus.pages}
    reported = corpus.reported
    members = {name: sum(1 for p in reported if p["event"] == name) for name in corpus.events}
    return Observed(
        relevant={p["url"]: bool(p["event"]) for p in corpus.pages},
        grouping={p["url"]: p["event"] for p in reported},
        days={p["url"]: p["published_on"] for p in reported},
        date_sources={p["url"]: p.get("published_at_source", "page") for p in reported},
        copies={p["url"]: by_file[p["copy_of"]] if "copy_of" in p else None for p in reported},
        announcements=sorted(
            (e["announced_on"], e["kind"], e["institute_count"], e["funding_gbp"], members[name])
            for name, e in corpus.events.items()
        ),
        institutes={e["announced_on"]: sorted(e["institutes"]) for e in corpus.events.values() if "institutes" in e},
    )


def observed(db: Path, corpus: EventCorpus, topic: str | None = None) -> Observed:
    """What the warehouse says of the corpus's pages: of any topic (the articles' own columns), or of
    `topic`. Only announcements holding one of the corpus's pages count: the warehouse may hold more."""
    verdict = "coalesce(t.is_relevant, false), t.announcement_id" if topic else "a.is_relevant, a.announcement_id"
    articles = {
        url: rest
        for url, *rest in rows(
            db,
            f"""SELECT u.url, a.article_id, {verdict}, a.published_at, a.published_at_source, a.duplicate_of
               FROM article_urls u JOIN articles a USING (article_id)
               LEFT JOIN article_topics t ON t.article_id = a.article_id AND t.topic = ?""",
            [topic],
        )
    }
    # An article seen at several addresses is known by its page's in the corpus.
    url_of = {articles[p["url"]][0]: p["url"] for p in corpus.pages}
    reported = [p["url"] for p in corpus.reported]
    ours = sorted({articles[p["url"]][2] for p in corpus.pages if articles[p["url"]][2]})
    labelled_days = {e["announced_on"] for e in corpus.events.values() if "institutes" in e}
    named: dict[date, list[str]] = {day: [] for day in labelled_days}
    for day, institute in rows(
        db,
        """SELECT DISTINCT an.announced_on, ai.institute_id FROM announcements an
            JOIN announcement_institutes ai USING (announcement_id)
            WHERE an.announcement_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY 1, 2""",
        [ours],
    ):
        if day in named:
            named[day].append(institute)
    return Observed(
        relevant={p["url"]: bool(articles[p["url"]][1]) for p in corpus.pages},
        grouping={url: articles[url][2] for url in reported},
        days={url: uk_day(articles[url][3]) if articles[url][3] else None for url in reported},
        date_sources={url: articles[url][4] for url in reported},
        copies={url: url_of.get(articles[url][5]) if articles[url][5] else None for url in reported},
        announcements=sorted(
            rows(
                db,
                "SELECT announced_on, kind, coalesce(institute_count, -1), funding_gbp, article_count "
                "FROM announcements WHERE announcement_id IN (SELECT unnest(?::VARCHAR[]))",
                [ours],
            ),
            key=lambda row: tuple((value is None, value) for value in row),  # an undated one sorts too
        ),
        institutes=named,
    )


@dataclass(frozen=True)
class Scores:
    """Each the share of labels a warehouse agrees with (announcements: the adjusted Rand index)."""

    announcements: float
    relevance: float
    copies: float
    dates: float
    facts: float  # events whose announcement has the labelled day, kind, count, sum, articles (and institutes)


def score(found: Observed, truth: Observed) -> Scores:
    def share(a: dict[Any, Any], b: dict[Any, Any]) -> float:
        return sum(1 for k in b if a.get(k) == b[k]) / len(b) if b else 1.0

    announcements = set(found.announcements)
    facts = [
        row in announcements and found.institutes.get(row[0], []) == truth.institutes.get(row[0], [])
        for row in truth.announcements
    ]
    dated = {u: (d, truth.date_sources[u]) for u, d in truth.days.items()}
    return Scores(
        announcements=adjusted_rand_index(truth.grouping, found.grouping),
        relevance=share(found.relevant, truth.relevant),
        copies=share(found.copies, truth.copies),
        dates=share({u: (d, found.date_sources.get(u)) for u, d in found.days.items()}, dated),
        facts=sum(facts) / len(facts) if facts else 1.0,
    )
