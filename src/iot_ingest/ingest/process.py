"""One capture through extraction: pure, no I/O, so it tests without a warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from iot_ingest.archive.capture import Capture
from iot_ingest.dedup.exact import body_hash
from iot_ingest.extract import Article, UnsupportedContent, extract_article
from iot_ingest.extract.govuk_content_api import NotAnArticle
from iot_ingest.topics import Topic, TopicSet
from iot_ingest.urls import canonical_url, site_of

__all__ = ["ExtractedCapture", "TopicScore", "archive_only", "first_relevant", "process_capture", "score_topics"]


@dataclass(frozen=True)
class TopicScore:
    """An article against one topic: relevant or not, why, and its facts when relevant."""

    topic: str
    relevant: bool
    score: float
    reasons: list[dict[str, Any]]
    facts: dict[str, Any] | None


@dataclass(frozen=True)
class ExtractedCapture:
    capture: Capture
    article: Article | None
    canonical_url: str | None
    fetched_url: str | None  # the fetched URL in canonical form
    site: str | None
    body_hash: str | None
    relevant: bool
    relevance_score: float
    relevance_reasons: list[dict[str, Any]]
    facts: dict[str, Any] | None
    problem: str | None  # why no article came out, when that is an error worth recording
    # Per topic, in the configuration's order. The single-valued fields above are those of the
    # first topic the article is relevant to (the primary topic's when it is relevant to none);
    # `relevant` is whether it is relevant to any.
    topics: tuple[TopicScore, ...] = ()


def process_capture(capture: Capture, topics: TopicSet) -> ExtractedCapture:
    """Extract the article in a capture; responses that hold none come back with article None."""
    if not 200 <= capture.status < 300:
        return _nothing(capture, None)
    try:
        fetched = canonical_url(capture.url)
    except ValueError as exc:
        return _nothing(capture, str(exc))
    try:
        article = extract_article(capture.url, capture.body, capture.content_type, fetched_at=capture.fetched_at)
    except (UnsupportedContent, NotAnArticle):
        return _nothing(capture, None)  # no article here; a status change is the loader's to record
    except Exception as exc:  # one bad page is a recorded error, never the end of a run
        return _nothing(capture, f"extraction failed: {type(exc).__name__}: {exc}"[:500])
    scores = score_topics(article, topics)
    first = first_relevant(scores)
    return ExtractedCapture(
        capture=capture,
        article=article,
        canonical_url=article.canonical_url,
        fetched_url=fetched,
        site=site_of(article.canonical_url),
        body_hash=body_hash(article.body_text),
        relevant=first.relevant,
        relevance_score=first.score,
        relevance_reasons=first.reasons,
        facts=first.facts,
        problem=None,
        topics=scores,
    )


def score_topics(article: Article, topics: TopicSet) -> tuple[TopicScore, ...]:
    return tuple(_score(article, topic) for topic in topics)


def first_relevant(scores: tuple[TopicScore, ...]) -> TopicScore:
    """The score an article's single-valued columns take: the first topic's it is relevant to,
    else the primary topic's."""
    return next((t for t in scores if t.relevant), scores[0])


def _score(article: Article, topic: Topic) -> TopicScore:
    relevance = topic.score(article.title, article.body_text)
    facts = (
        topic.facts(article.title, article.body_text, article.published_at).as_json() if relevance.relevant else None
    )
    reasons = [{"rule": r, "hits": h, "weight": round(w, 3)} for r, h, w in relevance.reasons]
    return TopicScore(topic.name, relevance.relevant, round(relevance.score, 3), reasons, facts)


def archive_only(capture: Capture) -> ExtractedCapture:
    """A capture kept in the archive without looking for an article (feeds, API pages, listings)."""
    return _nothing(capture, None)


def _nothing(capture: Capture, problem: str | None) -> ExtractedCapture:
    return ExtractedCapture(capture, None, None, None, None, None, False, 0.0, [], None, problem)
