"""The built-in topic as the tests use it, and the fact functions bound to it: most tests are about
how the extractors read Institutes of Technology pages, the topic the product started with."""

from __future__ import annotations

from datetime import datetime

from iot_ingest.config import DEFAULT_TOPIC
from iot_ingest.extract.facts import Facts, KnownInstitute, extract_facts
from iot_ingest.extract.facts.institutes import resolve
from iot_ingest.extract.facts.places import institutes_by_place
from iot_ingest.extract.relevance import Relevance, score_relevance
from iot_ingest.ingest.institutes_step import institute_id
from iot_ingest.sources import Discovered
from iot_ingest.sources.prefilter import off_topic_reason
from iot_ingest.topics import load_topics

__all__ = [
    "IOT",
    "IOT_TOPIC",
    "SUBJECT",
    "by_place",
    "facts_of",
    "institute_of",
    "known_institutes",
    "off_topic",
    "relevance_of",
    "resolve_name",
]

IOT = load_topics([(DEFAULT_TOPIC, None)])
IOT_TOPIC = IOT.primary
SUBJECT = IOT_TOPIC.subject


def facts_of(title: str | None, body: str, published_at: datetime | None = None) -> Facts:
    return extract_facts(title, body, published_at, SUBJECT)


def relevance_of(title: str | None, body: str) -> Relevance:
    return score_relevance(title, body, IOT_TOPIC.relevance)


def known_institutes() -> tuple[KnownInstitute, ...]:
    return SUBJECT.registry.institutes


def resolve_name(name: str) -> KnownInstitute | None:
    return resolve(name, SUBJECT)


def institute_of(key: str | None, name: str) -> str:
    return institute_id(key, name, SUBJECT)


def by_place(text: str) -> frozenset[str]:
    return institutes_by_place(text, SUBJECT)


def off_topic(item: Discovered) -> str | None:
    return off_topic_reason(item, IOT)
