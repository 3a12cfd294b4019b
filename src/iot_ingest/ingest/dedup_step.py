"""The deduplication step of a load: signatures and bands for new or changed articles, verified copy
relations against the whole history (an SQL join on bands), originals, then announcements.

Runs inside the caller's transaction, after the batch's articles are written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb

from iot_ingest.dedup.events import ArticleInfo, CopyEdge, announcement_id, choose_originals, group_events
from iot_ingest.dedup.minhash import band_hashes, compare, shingles, signature
from iot_ingest.warehouse.load import insert_batch, lookup
from iot_ingest.warehouse.sql_files import sql

__all__ = ["MIN_SHINGLES", "refresh_announcements", "refresh_copies"]

MIN_SHINGLES = 20  # fewer: too little text to call anything a copy of anything
LEAD_WORDS = 120  # trimmed copies keep the start: the lead gets bands of its own
_LEAD_BAND_OFFSET = 1 << 40


def refresh_copies(con: duckdb.DuckDBPyConnection, touched: Sequence[str]) -> int:
    """Re-sign `touched` articles, verify their candidates, and recompute originals around them."""
    ids = sorted(set(touched))
    if not ids:
        return 0
    bodies = dict(lookup(con, "dedup.bodies", ids))
    sets = {a: shingles(text or "") for a, text in bodies.items()}
    signatures, bands = [], []
    for article_id, shingle_set in sets.items():
        if len(shingle_set) < MIN_SHINGLES:
            continue
        sig = signature(shingle_set)
        signatures.append({"article_id": article_id, "shingle_count": len(shingle_set), "signature": sig.tobytes()})
        lead = " ".join((bodies[article_id] or "").split()[:LEAD_WORDS])
        lead_bands = [b + _LEAD_BAND_OFFSET for b in band_hashes(signature(shingles(lead)))]
        bands += [{"band_hash": b, "article_id": article_id} for b in [*band_hashes(sig), *lead_bands]]
    for statement in ("dedup.forget_signatures", "dedup.forget_bands"):
        con.execute(sql(statement), [ids])
    con.execute(sql("dedup.forget_copies"), [ids, ids])
    insert_batch(con, "dedup.insert_signatures", signatures)
    insert_batch(con, "dedup.insert_bands", bands)

    pairs = {tuple(sorted(pair)) for pair in lookup(con, "dedup.candidates", ids)}
    others = sorted({a for pair in pairs for a in pair} - sets.keys())
    sets.update({a: shingles(text or "") for a, text in lookup(con, "dedup.bodies", others)})
    copies = []
    for a, b in sorted(pairs):
        result = compare(sets[a], sets[b])
        if result.kind is not None:
            copies.append(
                {"article_a": a, "article_b": b, "kind": result.kind, "jaccard": result.jaccard,
                 "containment": result.containment}
            )  # fmt: skip
    insert_batch(con, "dedup.insert_copies", copies)

    # Originals can change for the touched articles and for whatever they are (or were) copies of;
    # deciding those needs every article each of them copies, one step further out.
    around = set(ids) | set(others)
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
    return len(copies)


def refresh_announcements(con: duckdb.DuckDBPyConnection) -> int:
    """Regroup every relevant article into announcements; ids that change are aliased."""
    infos = {row[0]: _info(row) for row in con.execute(sql("dedup.relevant_info")).fetchall()}
    edges = [CopyEdge(a, b, k) for a, b, k in con.execute(sql("dedup.all_copies")).fetchall()]
    events = group_events(infos, edges)
    previous = dict(con.execute(sql("dedup.previous_announcements")).fetchall())
    originals = {row[0]: row[1:] for row in lookup(con, "dedup.originals_of", [e.original for e in events])}
    announcements, memberships, aliases = [], [], {}
    now = datetime.now(UTC)
    for event in events:
        new_id = announcement_id(event.original)
        title, announced_on, count, funding = originals[event.original]
        announcements.append(
            {"announcement_id": new_id, "headline": title, "announced_on": announced_on, "institute_count": count,
             "funding_gbp": funding, "original_article_id": event.original, "article_count": len(event.members)}
        )  # fmt: skip
        for member in event.members:
            memberships.append({"article_id": member, "announcement_id": new_id})
            old = previous.get(member)
            if old and old != new_id:
                aliases[old] = {"old_id": old, "new_id": new_id, "aliased_at": now}
    live = {a["announcement_id"] for a in announcements}
    con.execute(sql("dedup.clear_announcements"))
    insert_batch(con, "dedup.insert_announcements", announcements)
    insert_batch(con, "dedup.set_announcement", memberships)
    insert_batch(con, "dedup.insert_aliases", [row for old, row in sorted(aliases.items()) if old not in live])
    return len(announcements)


def _info(row: tuple[Any, ...]) -> ArticleInfo:
    article_id, published, seen, official, relevant, count, funding = row
    return ArticleInfo(article_id, published, seen, bool(official), bool(relevant), count, funding)
