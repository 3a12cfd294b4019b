"""Announcement grouping on the labelled event corpora (tests/fixtures/events, tests/fixtures/more-events,
and another topic's, tests/fixtures/topic-ukdri, scored on that topic beside the built-in one):
each loaded through the product's own WARC import into a fresh warehouse, then scored against its
labels: the adjusted Rand index of the announcements, and the share of pages whose relevance, copy
relation and date, and of events whose announcement facts, are as labelled.

    .venv/bin/python bench/events.py [--explain]

`--explain` prints, per page, its label, its announcement and the facts grouping used. The peer is
the goal the issue sets (ARI >= 0.95, everything else >= 0.95 on held-out coverage; 1.00 here).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from iot_ingest.archive import RawArchive
from iot_ingest.config import DEFAULT_TOPIC, parse_config
from iot_ingest.ingest import import_warcs
from tests.support.digest import rows
from tests.support.event_corpus import CORPORA, TOPIC_CORPORA, EventCorpus, expected, observed, score

GOAL = 0.95


def load(corpus: EventCorpus, directory: Path, topic_file: Path | None = None) -> Path:
    """The corpus's pages in one WARC.gz written by the product's archive writer, then imported
    into a warehouse following the built-in topic (and `topic_file`'s, after it)."""
    with RawArchive(directory / "warc", max_file_bytes=1 << 40) as archive:
        files = {archive.append(capture).file for capture in corpus.captures()}
    db = directory / "iot.duckdb"
    text = ""
    if topic_file is not None:
        text = (
            f'[[topics]]\nname = "{DEFAULT_TOPIC}"\n\n[[topics]]\nname = "{topic_file.stem}"\nfile = "{topic_file}"\n'
        )
    import_warcs([directory / "warc" / name for name in sorted(files)], db, parse_config(text, origin="bench"))
    return db


def explain(db: Path, corpus: EventCorpus) -> None:
    facts = {
        url: (announcement, relevant, facts)
        for url, announcement, relevant, facts in rows(
            db,
            """SELECT u.url, a.announcement_id, a.is_relevant, a.facts
               FROM article_urls u JOIN articles a USING (article_id)""",
        )
    }
    for page in sorted(corpus.pages, key=lambda p: (p["event"], p["file"])):
        announcement, relevant, raw = facts[page["url"]]
        data = json.loads(raw) if raw else {}
        keys = sorted({i.get("key") for i in data.get("institutes", []) if isinstance(i, dict)} - {None})
        grouped = str(announcement)[-6:] if relevant else "(not relevant)"
        print(
            f"    {page['event'] or '-':18} {page['file']:40} {grouped:14}"
            f" {data.get('kind', '-'):12} count={data.get('institute_count')} sum={data.get('funding_gbp')}"
            f" institutes={len(keys)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--ablate", action="store_true", help="also score other topics' corpora with less of their vocabulary"
    )
    args = parser.parse_args()
    print(f"announcement grouping on the labelled corpora ({datetime.now(UTC):%Y-%m-%d}), goal {GOAL:.2f}:")
    every: list[tuple[str, Path | None]] = [(name, None) for name in CORPORA]
    every += list(TOPIC_CORPORA.items())
    for name, topic_file in every:
        corpus = EventCorpus.load(name)
        with tempfile.TemporaryDirectory(prefix="bench-events-") as tmp:
            db = load(corpus, Path(tmp), topic_file)
            # Another topic's corpus is scored on that topic, in a warehouse that follows IoT too.
            topic = topic_file.stem if topic_file else DEFAULT_TOPIC
            scores = score(observed(db, corpus, topic), expected(corpus))
            pages, events = len(corpus.pages), len(corpus.events)
            print(
                f"  {name:12} ({topic}) {pages:3} pages, {events} events: "
                f"announcements ARI {scores.announcements:.3f}, "
                f"relevance {scores.relevance:.3f}, copies {scores.copies:.3f}, dates {scores.dates:.3f}, "
                f"facts {scores.facts:.3f}"
            )
            if args.explain:
                explain(db, corpus)
    if args.ablate:
        ablate()


def ablate() -> None:
    """How much of another topic's result its vocabulary makes: the same topic file with its
    [vocabulary] cut down to its count nouns, then removed (relevance rules and registry kept)."""
    print("  vocabulary ablation (facts depend on it; relevance, grouping, copies and dates should not):")
    for name, topic_file in TOPIC_CORPORA.items():
        text = topic_file.read_text("utf-8")
        registry = topic_file.parent / tomllib.loads(text)["registry"]
        head = text[: text.index("[vocabulary]")].replace(
            next(line for line in text.splitlines() if line.startswith("registry")), f'registry = "{registry}"'
        )
        nouns = next(line for line in text.splitlines() if line.startswith("nouns"))
        for variant, vocabulary in (("nouns only", f"[vocabulary]\n{nouns}\n"), ("none", "")):
            corpus = EventCorpus.load(name)
            with tempfile.TemporaryDirectory(prefix="bench-events-") as tmp:
                cut = Path(tmp) / topic_file.name
                cut.write_text(head + vocabulary, "utf-8")
                db = load(corpus, Path(tmp), cut)
                scores = score(observed(db, corpus, topic_file.stem), expected(corpus))
            print(
                f"    {name:12} vocabulary {variant:10}: ARI {scores.announcements:.3f}, relevance "
                f"{scores.relevance:.3f}, copies {scores.copies:.3f}, dates {scores.dates:.3f}, "
                f"facts {scores.facts:.3f}"
            )


if __name__ == "__main__":
    main()
