"""Near-duplicate detection on a generated corpus: copy-pair precision and recall, signature
throughput against datasketch's `MinHash` in the same run, and matching new documents against a
million stored signatures through the warehouse's own tables and SQL.

    .venv/bin/python bench/dedup.py [--documents 100000] [--stored 1000000] [--new 10000] [--seed 7]

The corpus (numpy, word ids from a Zipf-like vocabulary): originals of 150-400 words (a quarter
short, 60-110), in paragraphs, from 50 publishers; 60% end with one of their publisher's three
agency footers (60-90 words, a paragraph of their own). Each original has, with probability 0.4
each, a verbatim copy, a copy truncated to its first 40-70%, a copy with the copying outlet's
footer added, and a copy with 10% of its words replaced, each on another publisher. The short
originals under a shared footer are the hard case: on the whole text two of them look like an
edited copy of each other.
"""

from __future__ import annotations

import argparse
import itertools
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
from datasketch import MinHash

from iot_ingest.dedup.boilerplate import repeated_paragraphs, strip_boilerplate
from iot_ingest.dedup.exact import normalise_text
from iot_ingest.dedup.minhash import compare, shingle_sets, signatures
from iot_ingest.dedup.signing import Signed, sign_texts
from iot_ingest.warehouse.load import insert_batch, lookup
from iot_ingest.warehouse.migrate import migrate

PUBLISHERS = 50
FOOTERS_EACH = 3
T = TypeVar("T")


@dataclass
class Corpus:
    texts: list[str]
    publishers: list[str]
    origin: npt.NDArray[np.int64]  # the original each document is (a copy of); itself for originals
    kinds: list[str]  # original | verbatim | truncated | footer | rewritten


class _Words:
    """A Zipf-like vocabulary of made-up words, drawn in bulk."""

    def __init__(self, rng: np.random.Generator, size: int = 50_000) -> None:
        letters = rng.integers(97, 123, size=(size, 10), dtype=np.uint8)
        lengths = rng.integers(2, 11, size=size)
        self.vocabulary = np.array([bytes(row[:n]).decode() for row, n in zip(letters, lengths, strict=True)])
        weights = 1.0 / (np.arange(size) + 20.0)
        self.cumulative = np.cumsum(weights / weights.sum())
        self.rng = rng

    def ids(self, count: int) -> npt.NDArray[np.int64]:
        found: npt.NDArray[np.int64] = np.searchsorted(self.cumulative, self.rng.random(count))
        return np.minimum(found, len(self.vocabulary) - 1)

    def text(self, ids: npt.NDArray[np.int64], breaks: Sequence[int]) -> str:
        words = self.vocabulary[ids].tolist()
        bounds = [0, *[b for b in breaks if 0 < b < len(words)], len(words)]
        return "\n\n".join(" ".join(words[a:b]) for a, b in itertools.pairwise(bounds))


def make_corpus(documents: int, seed: int) -> Corpus:
    rng = np.random.default_rng(seed)
    words = _Words(rng)
    footers = [
        [words.text(words.ids(int(rng.integers(60, 91))), []) for _ in range(FOOTERS_EACH)] for _ in range(PUBLISHERS)
    ]
    texts: list[str] = []
    publishers: list[int] = []
    origin: list[int] = []
    kinds: list[str] = []

    def add(text: str, publisher: int, original: int, kind: str) -> None:
        texts.append(text)
        publishers.append(publisher)
        origin.append(original)
        kinds.append(kind)

    def elsewhere(publisher: int) -> int:
        return int((publisher + rng.integers(1, PUBLISHERS)) % PUBLISHERS)

    while len(texts) < documents:
        publisher = int(rng.integers(PUBLISHERS))
        length = int(rng.integers(60, 111) if rng.random() < 0.25 else rng.integers(150, 401))
        ids = words.ids(length)
        breaks = np.cumsum(rng.integers(35, 71, size=12)).tolist()
        footer = footers[publisher][int(rng.integers(FOOTERS_EACH))] if rng.random() < 0.6 else None
        body = words.text(ids, breaks)
        full = f"{body}\n\n{footer}" if footer else body
        original = len(texts)
        add(full, publisher, original, "original")
        draws = rng.random(4)
        if draws[0] < 0.4:
            add(full, elsewhere(publisher), original, "verbatim")
        if draws[1] < 0.4:
            add(
                words.text(ids[: int(length * rng.uniform(0.4, 0.7))], breaks),
                elsewhere(publisher),
                original,
                "truncated",
            )
        if draws[2] < 0.4:
            outlet = elsewhere(publisher)
            add(f"{full}\n\n{footers[outlet][int(rng.integers(FOOTERS_EACH))]}", outlet, original, "footer")
        if draws[3] < 0.4:
            edited = ids.copy()
            edited[rng.choice(length, size=length // 10, replace=False)] = words.ids(length // 10)
            text = words.text(edited, breaks)
            add(f"{text}\n\n{footer}" if footer else text, elsewhere(publisher), original, "rewritten")
    del texts[documents:], publishers[documents:], origin[documents:], kinds[documents:]
    return Corpus(texts, [f"publisher-{p}" for p in publishers], np.array(origin), kinds)


def cpu(step: Callable[[], T]) -> tuple[T, float]:
    started = time.process_time()
    return step(), time.process_time() - started


def wall(step: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    return step(), time.perf_counter() - started


def datasketch_signatures(texts: Sequence[str], batch: bool) -> None:
    """datasketch 2.0's default MinHash (128 permutations) over the same 5-word shingles."""
    for text in texts:
        tokens = re.findall(r"[^\W_]+", normalise_text(text))
        grams = [" ".join(tokens[i : i + 5]).encode() for i in range(max(1, len(tokens) - 4))]
        sketch = MinHash(num_perm=128)
        if batch:
            sketch.update_batch(grams)
        else:
            for gram in grams:
                sketch.update(gram)


def candidate_pairs(bands: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Every pair of rows sharing a band hash, as (a, b) with a < b: the in-memory equivalent of the
    warehouse's self-join on `article_bands`."""
    doc = np.repeat(np.arange(len(bands)), bands.shape[1])
    order = np.argsort(bands.ravel(), kind="stable")
    hashes, doc = bands.ravel()[order], doc[order]
    found = []
    step = 1
    while True:
        same = np.flatnonzero(hashes[step:] == hashes[:-step])
        if not len(same):
            break
        found.append(np.stack((doc[same], doc[same + step]), axis=1))
        step += 1
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found), axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0)


def score(signed: Signed) -> tuple[int, set[tuple[int, int]], float]:
    candidates, elapsed = wall(lambda: candidate_pairs(signed.bands))
    started = time.perf_counter()
    found = {(int(a), int(b)) for a, b in candidates if compare(signed.sets[a], signed.sets[b]).kind is not None}
    return len(candidates), found, elapsed + time.perf_counter() - started


def report_quality(corpus: Corpus, found: set[tuple[int, int]], label: str) -> None:
    truth = {(int(o), c) for c, o in enumerate(corpus.origin) if o != c}
    # Two copies of one original verified as copies of each other are right too; nothing else is.
    related = sum(1 for a, b in found if corpus.origin[a] == corpus.origin[b])
    precision = related / len(found) if found else 1.0
    recall = len(found & truth) / len(truth)
    print(f"  {label}: precision {precision:.4f}, recall {recall:.4f} ({len(found)} verified pairs)")
    for kind in ("verbatim", "truncated", "footer", "rewritten"):
        pairs = {(int(corpus.origin[c]), c) for c, k in enumerate(corpus.kinds) if k == kind}
        print(f"      recall of {kind:9} copies: {len(found & pairs) / max(1, len(pairs)):.4f} of {len(pairs)}")


def match_in_warehouse(corpus: Corpus, signed: Signed, stored: int, new: int, seed: int) -> None:
    """New documents against `stored` signatures' bands with the product's migrations, statements
    and join; history beyond the corpus is synthetic bands (unrelated documents), made by DuckDB."""
    rng = np.random.default_rng(seed)
    # New: copies whose original stays in the history, so there is something to find.
    copies = np.flatnonzero(corpus.origin != np.arange(len(corpus.texts)))
    fresh = np.sort(rng.choice(copies, size=min(new, len(copies)), replace=False))
    history = np.setdiff1d(np.arange(len(corpus.texts)), fresh)
    ids = np.array([f"doc{i:07d}" for i in range(len(corpus.texts))])
    with tempfile.TemporaryDirectory(prefix="bench-dedup-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        migrate(con, db_label="bench")
        # Loading a million articles' history row by row through the product is not what is being
        # measured: the history goes in by bulk insert with the indexes built after it.
        con.execute("DROP INDEX article_bands_hash; DROP INDEX article_bands_article")
        real = signed.bands[history]
        con.register(
            "history", pa.table({"band_hash": real.ravel(), "article_id": np.repeat(ids[history], real.shape[1])})
        )
        _, loading = wall(lambda: con.execute("INSERT INTO article_bands SELECT * FROM history"))
        synthetic = max(0, stored - len(history))
        _, generating = wall(
            lambda: con.execute(
                """INSERT INTO article_bands
                   SELECT ((hash(i * ?2 + b) >> 16) | (b << 48))::BIGINT, 'history' || i::VARCHAR
                   FROM range(?1) r(i), range(?2) q(b)""",
                [synthetic, signed.bands.shape[1]],
            )
        )
        _, indexing = wall(
            lambda: con.execute(
                "CREATE INDEX article_bands_hash ON article_bands (band_hash);"
                "CREATE INDEX article_bands_article ON article_bands (article_id);"
                "CHECKPOINT"
            )
        )
        (rows,) = con.execute("SELECT count(*) FROM article_bands").fetchone() or (0,)
        print(
            f"  history: {len(history) + synthetic} articles ({len(history)} from the corpus, {synthetic} synthetic), "
            f"{rows} band rows; loaded in {loading + generating:.1f}s, indexed in {indexing:.1f}s"
        )
        new_ids = ids[fresh].tolist()
        band_rows = [
            {"band_hash": int(b), "article_id": new_ids[n]} for n, i in enumerate(fresh) for b in signed.bands[i]
        ]
        con.begin()
        _, inserting = wall(lambda: insert_batch(con, "dedup.insert_bands", band_rows))
        pairs, joining = wall(lambda: lookup(con, "dedup.candidates", new_ids))
        con.rollback()
        index_of = {name: i for i, name in enumerate(ids.tolist())}
        started = time.perf_counter()
        verified = 0
        for mine, theirs in pairs:
            other = index_of.get(theirs)
            if other is not None and compare(signed.sets[index_of[mine]], signed.sets[other]).kind:
                verified += 1
        verifying = time.perf_counter() - started
        con.close()
    print(
        f"  {len(fresh)} new against {len(history) + synthetic} stored: bands inserted {inserting:.2f}s, "
        f"candidates (dedup.candidates, a self-join on band_hash) {joining:.2f}s "
        f"-> {len(pairs)} candidate pairs, verified {verified} copies in {verifying:.2f}s; "
        f"total {inserting + joining + verifying:.2f}s (wall)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--speed-sample", type=int, default=5_000)
    parser.add_argument("--unfiltered-sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    corpus, making = wall(lambda: make_corpus(args.documents, args.seed))
    copies = int(np.sum(corpus.origin != np.arange(len(corpus.texts))))
    print(f"{len(corpus.texts)} documents ({copies} copies) generated in {making:.1f}s")

    sample = corpus.texts[: args.speed_sample]
    signatures(shingle_sets(corpus.texts[-100:]))  # the hash tables built once per process, not timed
    _, ours = cpu(lambda: signatures(shingle_sets(sample)))
    _, theirs_batch = cpu(lambda: datasketch_signatures(sample, batch=True))
    _, theirs = cpu(lambda: datasketch_signatures(sample, batch=False))
    print(f"signatures of {len(sample)} documents, one core (CPU time), text to 128-value signature:")
    print(f"  iot-ingest (batched shingles + MinHash):        {len(sample) / ours:9.0f} docs/s")
    print(
        f"  datasketch 2.0 MinHash, update() per shingle:   {len(sample) / theirs:9.0f} docs/s -> {theirs / ours:.1f}x"
    )
    print(f"  datasketch 2.0 MinHash, update_batch():         {len(sample) / theirs_batch:9.0f} docs/s -> "
          f"{theirs_batch / ours:.1f}x")  # fmt: skip

    boilerplate, finding = cpu(lambda: repeated_paragraphs(zip(corpus.publishers, corpus.texts, strict=True)))
    stripped, stripping = cpu(lambda: [strip_boilerplate(t, boilerplate) for t in corpus.texts])
    signed, signing = cpu(lambda: sign_texts(stripped))
    print(
        f"boilerplate: {len(boilerplate)} repeated paragraphs found in {finding:.1f}s, left out in {stripping:.1f}s; "
        f"all {len(stripped)} signed (text and lead) in {signing:.1f}s"
    )
    count, found, elapsed = score(signed)
    print(f"copy pairs with the boilerplate filter: {count} candidates, verified in {elapsed:.1f}s (wall)")
    report_quality(corpus, found, "with filter   ")
    # For comparison, the first documents on their whole texts: without the filter the footers make
    # so many candidates that verifying them all would take most of the run.
    n = args.unfiltered_sample
    part = Corpus(corpus.texts[:n], corpus.publishers[:n], corpus.origin[:n], corpus.kinds[:n])
    count, found_raw, elapsed = score(sign_texts(part.texts))
    print(
        f"the first {len(part.texts)} without it (whole texts): {count} candidates, verified in {elapsed:.1f}s (wall)"
    )
    report_quality(part, found_raw, "without filter")
    if args.stored:
        match_in_warehouse(corpus, signed, args.stored, args.new, args.seed)


if __name__ == "__main__":
    main()
