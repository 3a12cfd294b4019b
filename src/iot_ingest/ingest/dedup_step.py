"""The deduplication step of a load: signatures and bands for new or changed articles, verified copy
relations against the whole history (an SQL join on bands), originals, then announcements.

Runs inside the caller's transaction, after the batch's articles are written.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import duckdb

from iot_ingest.dedup.boilerplate import REPEATS, paragraph_hashes, strip_boilerplate
from iot_ingest.dedup.dating import DateEvidence, infer_date
from iot_ingest.dedup.events import (
    TEXT_WINDOW,
    ArticleInfo,
    CopyEdge,
    Event,
    announcement_id,
    choose_originals,
    event_kind,
    group_events,
)
from iot_ingest.dedup.minhash import ShingleSet, compare, shingle_sets
from iot_ingest.dedup.signing import sign_texts
from iot_ingest.dedup.topical import topical_terms
from iot_ingest.ingest.institutes_step import institute_id, refresh_institutes
from iot_ingest.topics import Topic, TopicSet
from iot_ingest.warehouse.load import insert_batch, lookup, one
from iot_ingest.warehouse.sql_files import sql

__all__ = [
    "MIN_SHINGLES",
    "ArticleFacts",
    "announcement_facts",
    "forget_unfollowed",
    "refresh_announcements",
    "refresh_copies",
]

MIN_SHINGLES = 20  # fewer: too little text to call anything a copy of anything
# Kinds of event that are about the institutes they name: the ones named are the ones counted.
ONE_INSTITUTE_KINDS = frozenset({"designation", "shortlist", "opening"})


def refresh_copies(con: duckdb.DuckDBPyConnection, touched: Sequence[str]) -> int:
    """Re-sign `touched` articles, verify their candidates, and recompute originals around them."""
    ids = sorted(set(touched) | _boilerplate_changed(con, sorted(set(touched))))
    if not ids:
        return 0
    texts = _without_boilerplate(con, ids)
    signed = sign_texts([texts[a] for a in ids])
    sets: dict[str, ShingleSet] = dict(zip(ids, signed.sets, strict=True))
    signatures, bands = [], []
    for index, article_id in enumerate(ids):
        if len(sets[article_id]) < MIN_SHINGLES:
            continue
        signatures.append(
            {"article_id": article_id, "shingle_count": len(sets[article_id]),
             "signature": signed.signatures[index].tobytes()}
        )  # fmt: skip
        bands += [{"band_hash": b, "article_id": article_id} for b in signed.bands[index].tolist()]
    for statement in ("dedup.forget_signatures", "dedup.forget_bands"):
        con.execute(sql(statement), [ids])
    # Whoever they copied or were copied by may lose that relation now: their originals change too.
    former = {x for a, b, _ in lookup(con, "dedup.copies_of", ids, ids) for x in (a, b)}
    con.execute(sql("dedup.forget_copies"), [ids, ids])
    insert_batch(con, "dedup.insert_signatures", signatures)
    insert_batch(con, "dedup.insert_bands", bands)

    pairs = {tuple(sorted(pair)) for pair in lookup(con, "dedup.candidates", ids)}
    others = sorted({a for pair in pairs for a in pair} - sets.keys())
    other_texts = _without_boilerplate(con, others)
    sets.update(zip(others, shingle_sets([other_texts[a] for a in others]), strict=True))
    copies = []
    for a, b in sorted(pairs):
        result = compare(sets[a], sets[b])
        if result.kind is not None:
            copies.append(
                {"article_a": a, "article_b": b, "kind": result.kind, "jaccard": result.jaccard,
                 "containment": result.containment}
            )  # fmt: skip
    insert_batch(con, "dedup.insert_copies", copies)
    _refresh_originals(con, set(ids) | set(others) | former)
    return len(copies)


def _boilerplate_changed(con: duckdb.DuckDBPyConnection, ids: list[str]) -> set[str]:
    """Record the paragraphs of `ids`; return the other articles to re-sign because a paragraph
    they carry became boilerplate (or stopped being) with this change. Only a crossing of the
    threshold re-signs anything, not every new article under a long-known footer."""
    rows = lookup(con, "dedup.bodies", ids)
    paragraphs = [
        {"article_id": a, "publisher": publisher, "paragraph_hash": h}
        for a, text, publisher in rows
        for h in paragraph_hashes(text or "")
    ]
    involved = sorted(
        {h for (h,) in lookup(con, "dedup.paragraphs_of", ids)} | {p["paragraph_hash"] for p in paragraphs}
    )
    before = _boilerplate(con, involved)
    con.execute(sql("dedup.forget_paragraphs"), [ids])
    insert_batch(con, "dedup.insert_paragraphs", paragraphs)
    flipped = sorted(before ^ _boilerplate(con, involved))
    if not flipped:
        return set()
    return {a for (a,) in con.execute(sql("dedup.articles_with_paragraphs"), [flipped]).fetchall()} - set(ids)


def _boilerplate(con: duckdb.DuckDBPyConnection, hashes: list[int]) -> set[int]:
    if not hashes:
        return set()
    return {h for (h,) in con.execute(sql("dedup.boilerplate_among"), [hashes, REPEATS]).fetchall()}


def _without_boilerplate(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, str]:
    """The body texts of `ids` with what the warehouse knows to be boilerplate left out."""
    bodies = {a: text or "" for a, text, _ in lookup(con, "dedup.bodies", ids)}
    boilerplate = _boilerplate(con, sorted({h for (h,) in lookup(con, "dedup.paragraphs_of", ids)}))
    return {a: strip_boilerplate(bodies.get(a, ""), boilerplate) for a in ids}


def _refresh_originals(con: duckdb.DuckDBPyConnection, changed: set[str]) -> None:
    """Originals can change for the changed articles and for whatever they are (or were) copies
    of; deciding those needs every article each of them copies, one step further out."""
    around = set(changed)
    around |= {x for a, b, _ in lookup(con, "dedup.copies_of", sorted(around), sorted(around)) for x in (a, b)}
    edges = [CopyEdge(a, b, k) for a, b, k in lookup(con, "dedup.copies_of", sorted(around), sorted(around))]
    known = sorted(around | {e.a for e in edges} | {e.b for e in edges})
    infos = {row[0]: _info(row) for row in lookup(con, "dedup.article_info", known)}
    originals = choose_originals(infos, edges)
    rows = [
        {"article_id": a, "duplicate_of": o[0] if o else None, "copy_kind": o[1] if o else None}
        for a, o in sorted(originals.items())
        if a in around
    ]
    insert_batch(con, "dedup.set_original", rows)


def refresh_announcements(con: duckdb.DuckDBPyConnection, touched: Sequence[str] | None, topics: TopicSet) -> int:
    """Regroup into announcements the relevant articles around `touched` (all of them when None),
    date the undated, and refresh the institutes; ids that change are aliased. Returns how many
    announcements the warehouse holds.

    Only what a change can move is regrouped: the touched articles, what they copy, whatever was
    published within TEXT_WINDOW of them, undated articles, and every announcement any of those
    belonged to, whole. Announcements elsewhere keep their rows untouched. Each topic is grouped on
    its own (an article about two topics belongs to an announcement of each); copies and dates are
    the same for every topic."""
    names = list(topics.names)
    if touched is None:
        # A batch's commit has forgotten them already (the Ingestor does, whether it loads articles or not).
        forget_unfollowed(con, topics)
    scope = _scope(con, touched)
    _date_articles(con, scope)
    edges = [CopyEdge(a, b, k) for a, b, k in lookup(con, "dedup.copies_of", scope, scope)]
    legacy = {t for (t,) in con.execute(sql("dedup.legacy_topic")).fetchall()}
    for topic in topics:
        _regroup(con, scope, edges, topic, legacy=topic.name in legacy, every=touched is None)
    con.execute(sql("dedup.set_article_announcements"), [names, scope, names])
    refresh_institutes(con, topics)
    (total,) = one(con, "dedup.count_announcements") or (0,)
    return int(total)


def forget_unfollowed(con: duckdb.DuckDBPyConnection, topics: TopicSet) -> None:
    """The warehouse follows its writers' configuration: what it holds of a topic no longer followed
    is gone at the next commit (reprocess with the topic configured again brings it back)."""
    names = list(topics.names)
    for statement in ("institutes", "announcements"):
        con.execute(sql(f"dedup.forget_unfollowed_{statement}"), [names])
    (forgotten,) = con.execute(sql("dedup.forget_unfollowed_scores"), [names]).fetchone() or (0,)
    if forgotten:
        con.execute(sql("dedup.rederive_articles"), [names])


def _regroup(
    con: duckdb.DuckDBPyConnection,
    scope: list[str],
    edges: list[CopyEdge],
    topic: Topic,
    *,
    legacy: bool,
    every: bool,
) -> None:
    """One topic's announcements among `scope`, replacing the ones its articles belonged to."""
    infos = _infos(con, scope, topic)
    events = group_events(infos, edges)
    _date_from_announcements(con, infos, events)
    previous = dict(lookup(con, "dedup.previous_announcements", scope, topic.name))
    originals = {row[0]: row[1:] for row in lookup(con, "dedup.originals_of", [e.original for e in events])}
    members_all = sorted({m for e in events for m in e.members})
    facts = {
        row[0]: ArticleFacts(row[1], row[2], _institutes(row[3]))
        for row in lookup(con, "dedup.announcement_facts", members_all, topic.name)
    }
    announcements, memberships, aliases, institutes = [], [], {}, []
    now = datetime.now(UTC)
    for event in events:
        # The topic there was before topics keeps the ids its announcements had then.
        new_id = announcement_id(event.original, None if legacy else topic.name)
        title, announced_on, _ = originals[event.original]
        members = [event.original, *sorted(set(event.members) - {event.original}, key=lambda m: _order(infos[m]))]
        count, funding, names = announcement_facts([facts[m] for m in members if m in facts])
        kind = event_kind(infos[m] for m in members)
        keys = {name: key for m in members if m in facts for key, name in facts[m].institutes}
        named = {
            name: institute_id(keys.get(name), name, topic.subject, None if legacy else topic.name) for name in names
        }
        count = count if count is not None else _count_named(set(named.values()), kind, topic)
        announcements.append(
            {"announcement_id": new_id, "headline": title, "announced_on": announced_on, "institute_count": count,
             "funding_gbp": funding, "original_article_id": event.original, "article_count": len(event.members),
             "kind": kind, "topic": topic.name}
        )  # fmt: skip
        institutes += [
            {"announcement_id": new_id, "institute": name, "institute_id": key} for name, key in named.items()
        ]
        for member in event.members:
            memberships.append({"article_id": member, "topic": topic.name, "announcement_id": new_id})
            old = previous.get(member)
            if old and old != new_id:
                aliases[old] = {"old_id": old, "new_id": new_id, "aliased_at": now}
    live = {a["announcement_id"] for a in announcements}
    old_ids = (
        lookup(con, "dedup.all_announcements", topic.name)
        if every
        else lookup(con, "dedup.announcements_of", scope, topic.name)
    )
    # An id regrouping recreates replaces its row, also one no article points at any more (reprocess).
    replaced = sorted({a for (a,) in old_ids} | live)
    con.execute(sql("dedup.forget_announcement_institutes"), [topic.name, replaced, replaced])
    con.execute(sql("dedup.forget_announcements"), [topic.name, replaced])
    con.execute(sql("dedup.forget_memberships"), [topic.name, replaced, scope])
    insert_batch(con, "dedup.insert_announcements", announcements)
    insert_batch(con, "dedup.insert_announcement_institutes", institutes)
    insert_batch(con, "dedup.set_announcement", memberships)
    insert_batch(con, "dedup.insert_aliases", [row for _, row in sorted(aliases.items())])


def _count_named(named: set[str], kind: str, topic: Topic) -> int | None:
    """An announcement that states no count names its institutes: a designation or shortlist of
    the registry's institutes it names counts them, an opening (of one institute) counts one."""
    if kind == "opening":
        return 1 if len(named) == 1 else None
    known = named & topic.subject.registry.keys
    if kind in ONE_INSTITUTE_KINDS and known and len(known) == len(named):
        return len(known)
    return None


def _scope(con: duckdb.DuckDBPyConnection, touched: Sequence[str] | None) -> list[str]:
    """The articles a regrouping around `touched` must look at (see refresh_announcements)."""
    if touched is None:
        return [a for (a,) in con.execute(sql("dedup.all_relevant")).fetchall()]
    seeds = sorted(set(touched))
    seeds = sorted({x for a, b, _ in lookup(con, "dedup.copies_of", seeds, seeds) for x in (a, b)} | set(seeds))
    con.execute(sql("dedup.page_dated"), [seeds])
    dates = [d for _, d in lookup(con, "dedup.dates_of", seeds)]
    near = {a for (a,) in con.execute(sql("dedup.relevant_near"), [dates, TEXT_WINDOW, TEXT_WINDOW]).fetchall()}
    undated = {a for (a,) in con.execute(sql("dedup.relevant_undated")).fetchall()}
    around = sorted(near | undated | set(seeds))
    return sorted({a for (a,) in con.execute(sql("dedup.fellow_members"), [around, around]).fetchall()})


def _date_articles(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    """Date what its page leaves undated from its URLs, its text or what it copies (dating.py)."""
    con.execute(sql("dedup.page_dated"), [ids])
    rows = lookup(con, "dedup.date_evidence", ids)
    copied: dict[str, list[str]] = {}
    for a, b, _ in lookup(con, "dedup.copies_of", [r[0] for r in rows], [r[0] for r in rows]):
        copied.setdefault(a, []).append(b)
        copied.setdefault(b, []).append(a)
    dates = dict(lookup(con, "dedup.page_dates", sorted({x for xs in copied.values() for x in xs})))
    updates = []
    for article_id, published_at, source, text_date, first_seen_at, duplicate_of, urls in rows:
        neighbours = sorted(dates[n] for n in copied.get(article_id, ()) if n in dates and n != duplicate_of)
        if duplicate_of in dates:
            neighbours.insert(0, dates[duplicate_of])
        evidence = DateEvidence(tuple(urls or ()), text_date, tuple(neighbours), first_seen_at)
        dated = infer_date(evidence)
        new = (dated.published_at, dated.source) if dated else (None, None)
        if (published_at, source) != new:
            updates.append({"article_id": article_id, "published_at": new[0], "published_at_source": new[1]})
    insert_batch(con, "dedup.set_dates", updates)


def _date_from_announcements(
    con: duckdb.DuckDBPyConnection, infos: dict[str, ArticleInfo], events: list[Event]
) -> None:
    """An article still undated once grouped takes its announcement's date (the original's)."""
    updates = [
        {"article_id": m, "published_at": infos[e.original].published_at, "published_at_source": "announcement"}
        for e in events
        if infos[e.original].published_at is not None
        for m in e.members
        if infos[m].published_at is None
    ]
    insert_batch(con, "dedup.set_dates", updates)


def _infos(con: duckdb.DuckDBPyConnection, ids: list[str], topic: Topic) -> dict[str, ArticleInfo]:
    rows = lookup(con, "dedup.relevant_info", ids, topic.name)
    texts = _without_boilerplate(con, [row[0] for row in rows])
    infos = {}
    for row in rows:
        info = _info(row[:8])
        terms = topical_terms(row[9], texts.get(info.article_id), topic.subject)
        infos[info.article_id] = replace(info, kind=row[8], terms=terms)
    return infos


@dataclass(frozen=True)
class ArticleFacts:
    institute_count: int | None
    funding_gbp: int | None
    institutes: tuple[tuple[str, str], ...]  # (key, name as written), in order of first mention


def announcement_facts(articles: Sequence[ArticleFacts]) -> tuple[int | None, int | None, list[str]]:
    """An announcement's count, sum and institutes from its articles, the original first.

    The original's own facts win; where it gives none, the value most of the others report (ties to
    the earliest). Institutes are the original's; if it names none, those of all the articles, each
    once (by key) as first written.
    """
    count = _consensus([a.institute_count for a in articles])
    funding = _consensus([a.funding_gbp for a in articles])
    named = (
        articles[0].institutes if articles and articles[0].institutes else [i for a in articles for i in a.institutes]
    )
    names: dict[str, str] = {}
    for key, name in named:
        if name not in names.values():
            names.setdefault(key, name)
    return count, funding, list(names.values())


def _consensus(values: list[int | None]) -> int | None:
    if values and values[0] is not None:
        return values[0]
    counted = Counter(v for v in values if v is not None)
    return max(counted, key=lambda v: (counted[v], -values.index(v)), default=None)


def _institutes(raw: str | None) -> tuple[tuple[str, str], ...]:
    """The (key, name) pairs of an article's stored facts; older facts without institutes have none."""
    if not raw:
        return ()
    try:
        items = json.loads(raw)
    except ValueError:
        return ()
    if not isinstance(items, list):
        return ()
    return tuple(
        (str(i.get("key") or i["name"]), str(i["name"])) for i in items if isinstance(i, dict) and i.get("name")
    )


def _order(info: ArticleInfo) -> tuple[bool, str, str]:
    """Official first, then the earliest published: the order in which other articles' facts count."""
    published = info.published_at.isoformat() if info.published_at else "~"
    return (not info.official, published, info.article_id)


def _info(row: tuple[Any, ...]) -> ArticleInfo:
    article_id, published, seen, official, relevant, count, funding, institutes = row
    keys = frozenset(key for key, _ in _institutes(institutes))
    return ArticleInfo(article_id, published, seen, bool(official), bool(relevant), count, funding, keys)
