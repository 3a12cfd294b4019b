"""Captures into the warehouse, a batch at a time: extract and archive outside it, then identify and
load in one short transaction.

Idempotent by construction: a capture already in `responses` is skipped before anything else, and
every insert is keyed (ON CONFLICT DO NOTHING or a merge), so loading the same input twice changes
nothing. Within a batch, captures are handled in (fetched_at, url) order so that one input gives
one result whatever order its records came in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from iot_ingest.archive import ArchivedAt, Capture, RawArchive, RecordProblem
from iot_ingest.ingest.dedup_step import forget_unfollowed, refresh_announcements, refresh_copies
from iot_ingest.ingest.process import ExtractedCapture, archive_only, process_capture
from iot_ingest.ingest.status_changes import status_change_rows
from iot_ingest.runs import announcement_ids
from iot_ingest.stats import LoadStats
from iot_ingest.topics import TopicSet
from iot_ingest.warehouse.load import insert_batch, lookup
from iot_ingest.warehouse.sql_files import sql
from iot_ingest.warehouse.target import WarehouseTarget

__all__ = ["BATCH_SIZE", "Ingestor", "Staged", "error_row"]

BATCH_SIZE = 250


@dataclass
class Ingestor:
    """Buffers captures, problems and other rows, and loads them in batches. Use as a context manager.

    Extraction and archiving happen outside the warehouse; only the commit holds it, briefly: each
    batch is one short writer session on `target` (or, for a caller holding the warehouse through
    everything, as reprocess does, its one transaction).
    """

    target: WarehouseTarget
    archive: RawArchive
    run_id: str
    # What articles are scored against, and grouped by.
    topics: TopicSet = field(kw_only=True)
    stats: LoadStats = field(default_factory=LoadStats)
    batch_size: int = BATCH_SIZE
    # Decides whether an extracted article is loaded (None) or left in the archive only (a reason).
    accept: Callable[[ExtractedCapture], str | None] | None = None
    # How a batch of captures is extracted: in this process by default; an orchestrator may spread
    # it over workers (a Dask cluster), since extraction is pure and loading stays here.
    extract_many: Callable[[list[Capture]], list[ExtractedCapture]] | None = None
    # Announcements created by this ingestor's commits (counted inside them, so exact under other writers).
    announcements_created: int = 0
    _captures: list[Capture] = field(default_factory=list)
    _located: dict[str, ArchivedAt] = field(default_factory=dict)
    _problems: list[RecordProblem] = field(default_factory=list)
    _archive_only: set[str] = field(default_factory=set)
    _staged: list[Staged] = field(default_factory=list)
    _also_at: dict[str, list[str]] = field(default_factory=dict)

    def add(self, item: Capture | RecordProblem, *, extract: bool = True) -> None:
        """Queue a capture (archived, and extracted unless `extract` is False) or a problem."""
        if isinstance(item, RecordProblem):
            self._problems.append(item)
        else:
            self._captures.append(item)
            if not extract:
                self._archive_only.add(item.response_id)
        if len(self._captures) + len(self._problems) >= self.batch_size:
            self.flush()

    def also_seen_at(self, capture: Capture, url: str) -> None:
        """Another address the capture's article was reached at (a link that redirected to it), so
        the next run knows that address too: it skips it while unchanged instead of fetching it."""
        if url != capture.url:
            self._also_at.setdefault(capture.response_id, []).append(url)

    def add_archived(self, capture: Capture, at: ArchivedAt, *, extract: bool = True) -> None:
        """Queue a capture that is already in the raw archive at `at`, to extract and load again."""
        self._located[capture.response_id] = at
        self.add(capture, extract=extract)

    def add_all(self, items: Iterable[Capture | RecordProblem]) -> None:
        for item in items:
            self.add(item)

    def stage(self, statement: str, rows: Sequence[dict[str, Any]]) -> None:
        """Run a named load statement over `rows` (as `batch`) in the next batch's transaction: what
        a unit learnt (fetch attempts, skipped items) commits together with the articles it goes with."""
        if rows:
            self._staged.append(Staged(statement, list(rows), None))

    def execute(self, statement: str, params: Sequence[Any]) -> None:
        """Run a named statement once with `params` in the next batch's transaction (state, a window's status)."""
        self._staged.append(Staged(statement, [], list(params)))

    @property
    def pending(self) -> int:
        return len(self._captures) + len(self._problems) + len(self._staged)

    def flush(self) -> None:
        captures, problems, staged = self._captures, self._problems, self._staged
        self._captures, self._problems, self._staged = [], [], []
        if captures or problems or staged:
            self._load(captures, problems, staged)

    def __enter__(self) -> Ingestor:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.flush()

    def _extract(self, fresh: list[Capture]) -> list[ExtractedCapture]:
        wanted = [c for c in fresh if c.response_id not in self._archive_only]
        done = (self.extract_many or self._extract_here)(wanted)
        by_id = {item.capture.response_id: item for item in done}
        return [by_id[c.response_id] if c.response_id in by_id else archive_only(c) for c in fresh]

    def _extract_here(self, captures: list[Capture]) -> list[ExtractedCapture]:
        return [process_capture(c, self.topics) for c in captures]

    def _known(self, unique: dict[str, Capture]) -> set[str]:
        """Captures loaded before (skipped), noting where those archived but never loaded are.

        A capture fetched by this process is new by construction (its key holds its fetch time),
        so only imported ones (WARC files, a crawl, the archive itself) are looked up."""
        imported = [rid for rid, c in unique.items() if c.origin != "fetch" and rid not in self._located]
        if not imported:
            return set()
        with self.target.reading() as warehouse:
            rows = lookup(warehouse.con, "load.known_responses", imported)
        known = set()
        for rid, file, offset, length, loaded in rows:
            if loaded or rid in self._archive_only:
                known.add(rid)
            else:
                # Archived before but never loaded (archive-only then, or out of a backfill's range):
                # extract it again from where it already is, rather than skip it for good.
                self._located[rid] = ArchivedAt(file, offset, length)
        return known

    def _load(self, captures: list[Capture], problems: list[RecordProblem], staged: list[Staged]) -> None:
        now = datetime.now(UTC)
        unique = {c.response_id: c for c in captures}
        known = self._known(unique)
        fresh = sorted((c for rid, c in unique.items() if rid not in known), key=lambda c: (c.fetched_at, c.url))
        self.stats.records += len(captures)
        self.stats.already_archived += len(captures) - len(fresh)

        # Outside the warehouse: extraction (CPU) and archiving (this writer's own files).
        extracted = self._extract(fresh)
        discovery = self._archive_only & unique.keys()
        self._archive_only.clear()
        skipped = []
        if self.accept is not None:
            for index, item in enumerate(extracted):
                reason = self.accept(item) if item.article is not None else None
                if reason:
                    skipped.append(_skipped_row(item, reason, self.run_id, now))
                    extracted[index] = archive_only(item.capture)
        placed: list[tuple[ExtractedCapture, ArchivedAt]] = []
        newly_archived = 0
        for item in extracted:
            at = self._located.pop(item.capture.response_id, None)
            if at is None:
                at = self.archive.append(item.capture)
                newly_archived += 1
            placed.append((item, at))
        errors = [error_row(self.run_id, "read", p.location, p.url, p.reason, now) for p in problems]
        errors += [
            error_row(self.run_id, "extract", item.capture.url, item.capture.url, item.problem, now)
            for item in extracted
            if item.problem
        ]
        self.archive.sync()  # the index rows below must never point at bytes not on disk
        with_articles = [item for item in extracted if item.article is not None]

        with self.target.committing() as warehouse:
            con = warehouse.con
            changes = status_change_rows(con, extracted, self.run_id)
            identities = _Identities.resolve(con, with_articles, self._also_at)
            article_rows, topic_rows = _article_rows(identities, with_articles)
            before = announcement_ids(con) if article_rows else set()
            with self.target.transaction(con):
                responses = [_response_row(i, at, self.run_id, i.capture.response_id in discovery) for i, at in placed]
                insert_batch(con, "load.insert_responses", responses)
                insert_batch(con, "load.insert_sightings", identities.sighting_rows)
                insert_batch(con, "load.insert_article_urls", identities.url_rows)
                insert_batch(con, "load.upsert_articles", article_rows)
                insert_batch(con, "load.widen_first_seen", article_rows)
                insert_batch(con, "load.upsert_article_topics", topic_rows)
                insert_batch(con, "load.insert_errors", errors)
                insert_batch(con, "load.insert_status_changes", changes)
                insert_batch(con, "sources.insert_skipped", skipped)
                for statement in staged:
                    statement.run(con)
                forget_unfollowed(con, self.topics)
                copies = refresh_copies(con, [row["article_id"] for row in article_rows])
                if article_rows:
                    touched = [row["article_id"] for row in article_rows]
                    self.stats.announcements = refresh_announcements(con, touched, self.topics)
                    self.announcements_created += len(announcement_ids(con) - before)
        for item in extracted:
            self._also_at.pop(item.capture.response_id, None)
        self.stats.responses_archived += newly_archived
        if len(placed) > newly_archived:
            self.stats.reprocessed += len(placed) - newly_archived
        self.stats.articles_seen += len(identities.sighting_rows)
        self.stats.articles_new += identities.new_articles
        self.stats.relevant_sightings += sum(1 for i in extracted if i.relevant)
        self.stats.copy_relations += copies
        self.stats.errors += len(errors)
        if skipped:
            self.stats.not_loaded += len(skipped)


@dataclass(frozen=True)
class Staged:
    """A named statement to run in a batch's transaction, over rows or once with parameters."""

    statement: str
    rows: list[dict[str, Any]]
    params: list[Any] | None

    def run(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.params is not None:
            con.execute(sql(self.statement), self.params)
        else:
            insert_batch(con, self.statement, self.rows)


@dataclass
class _Identities:
    """Which article each extracted capture belongs to: by URL first, then by text within a site."""

    article_of: dict[str, str]  # response_id -> article_id
    sighting_rows: list[dict[str, Any]]
    url_rows: list[dict[str, Any]]
    new_articles: int

    @classmethod
    def resolve(cls, con: Any, items: list[ExtractedCapture], also_at: dict[str, list[str]]) -> _Identities:
        def urls_of(item: ExtractedCapture) -> list[str]:
            return list(dict.fromkeys([*_urls_of(item), *also_at.get(item.capture.response_id, [])]))

        urls = sorted({u for i in items for u in urls_of(i)})
        by_url = dict(lookup(con, "load.articles_by_url", urls))
        keyed = [(i.site or "", i.body_hash) for i in items if i.body_hash]
        sites, hashes = [k[0] for k in keyed], [k[1] for k in keyed]
        by_text = {(s, h): a for s, h, a in lookup(con, "load.articles_by_text", sites, hashes)}
        article_of: dict[str, str] = {}
        sightings, url_rows = [], []
        new_articles = 0
        for item in items:
            assert item.canonical_url is not None
            found = next((by_url[u] for u in urls_of(item) if u in by_url), None)
            text_key = (item.site or "", item.body_hash) if item.body_hash else None
            if found is None and text_key is not None:
                found = by_text.get(text_key)
            if found is None:
                found = hashlib.sha256(item.canonical_url.encode()).hexdigest()[:20]
                new_articles += 1
            for url in urls_of(item):
                if url not in by_url:
                    by_url[url] = found
                    url_rows.append({"url": url, "article_id": found})
            if text_key is not None:
                by_text.setdefault(text_key, found)
            rid = item.capture.response_id
            article_of[rid] = found
            sightings.append(
                {
                    "response_id": rid,
                    "article_id": found,
                    "url": item.capture.url,
                    "canonical_url": item.canonical_url,
                    "fetched_at": item.capture.fetched_at,
                    "body_hash": item.body_hash,
                    "extractor_version": item.article.extractor_version if item.article else "",
                }
            )
        return cls(article_of, sightings, url_rows, new_articles)


def _urls_of(item: ExtractedCapture) -> list[str]:
    """Every address the article was seen at: as fetched, canonicalised, and as it declares itself."""
    return list(dict.fromkeys(u for u in (item.capture.url, item.fetched_url, item.canonical_url) if u))


def _article_rows(
    identities: _Identities, items: list[ExtractedCapture]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One row per touched article: content from its latest capture in the batch, URL and first
    sighting from its earliest; and one per article and topic, from the same latest capture. The
    merge statements compare these with what the warehouse has."""
    grouped: dict[str, list[ExtractedCapture]] = {}
    for item in items:
        grouped.setdefault(identities.article_of[item.capture.response_id], []).append(item)
    rows, topic_rows = [], []
    for article_id, group in sorted(grouped.items()):
        group.sort(key=lambda i: (i.capture.fetched_at, i.capture.response_id))
        earliest, latest = group[0], group[-1]
        article = latest.article
        assert article is not None
        rows.append(
            {
                "article_id": article_id,
                "url": earliest.canonical_url,
                "source": latest.capture.source,
                "publisher": article.publisher,
                "title": article.title,
                "description": article.description,
                "published_at": article.published_at,
                "updated_at": article.updated_at,
                "body_text": article.body_text,
                "body_hash": latest.body_hash,
                "site": latest.site,
                "language": article.language,
                "authors": json.dumps(list(article.authors)),
                "withdrawn": article.withdrawn,
                "is_relevant": latest.relevant,
                "relevance_score": latest.relevance_score,
                "relevance_reasons": json.dumps(latest.relevance_reasons),
                "facts": json.dumps(latest.facts) if latest.facts is not None else None,
                "first_seen_at": earliest.capture.fetched_at,
                "last_seen_at": latest.capture.fetched_at,
                "extractor_version": article.extractor_version,
                "extraction_path": article.extraction_path,
                "content_response_id": latest.capture.response_id,
            }
        )
        topic_rows += [
            {
                "article_id": article_id,
                "topic": scored.topic,
                "is_relevant": scored.relevant,
                "relevance_score": scored.score,
                "relevance_reasons": json.dumps(scored.reasons),
                "facts": json.dumps(scored.facts) if scored.facts is not None else None,
                "content_response_id": latest.capture.response_id,
            }
            for scored in latest.topics
        ]
    return rows, topic_rows


def _response_row(item: ExtractedCapture, at: ArchivedAt, run_id: str, discovery: bool) -> dict[str, Any]:
    capture = item.capture
    return {
        "response_id": capture.response_id,
        "url": capture.url,
        "fetched_at": capture.fetched_at,
        "status": capture.status,
        "content_type": capture.content_type or None,
        "payload_digest": capture.digest,
        "warc_file": at.file,
        "warc_offset": at.offset,
        "warc_length": at.length,
        "origin": capture.origin,
        "source": capture.source,
        "run_id": run_id,
        "role": "discovery" if discovery else "page",
    }


def _skipped_row(item: ExtractedCapture, reason: str, run_id: str, now: datetime) -> dict[str, Any]:
    return {
        "source": item.capture.source or "",
        "url": item.capture.url,
        "title": item.article.title if item.article else None,
        "reason": reason,
        "run_id": run_id,
        "skipped_at": now,
    }


def error_row(
    run_id: str, stage: str, location: str, url: str | None, reason: str | None, now: datetime
) -> dict[str, Any]:
    text = reason or "unknown"
    key = hashlib.sha256(f"{stage}\n{location}\n{text}".encode()).hexdigest()[:24]
    return {
        "error_id": key,
        "run_id": run_id,
        "stage": stage,
        "location": location,
        "url": url,
        "reason": text,
        "recorded_at": now,
    }
