"""Near-duplicate text: word shingles, MinHash signatures and LSH bands, all pure and vectorised.

A copy of a press release shares most of its 5-word shingles with the original. MinHash estimates
the Jaccard similarity of two shingle sets from fixed-size signatures; banding the signature makes
candidate pairs findable with an equality join. Every candidate is then verified on the exact sets
(`compare`), so shared boilerplate cannot chain unrelated articles together.

Everything works on batches of documents at once: per document there is only a case fold and an
encode in Python, the rest is numpy over all the batch's bytes, words and shingles together.
Changing any constant or step here changes every signature and band: stored ones are then stale
until `reprocess` recomputes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from iot_ingest.dedup.exact import fold_text

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "Comparison",
    "ShingleSet",
    "Signature",
    "band_hashes",
    "band_matrix",
    "compare",
    "shingle_sets",
    "shingles",
    "signature",
    "signatures",
]

SHINGLE_WORDS = 5
NUM_PERM = 128
# 42 bands of 3 rows (126 of the 128 values): a pair at Jaccard 0.4 becomes a candidate with
# probability 0.93, at 0.3 with 0.68, at 0.05 (unrelated articles) with 0.005.
BANDS, ROWS = 42, 3
_rng = np.random.default_rng(20190410)  # fixed: signatures must be comparable across runs
# Multiply-shift hashing (odd multipliers, 64-bit wrap-around, top 32 bits): no modulo, vectorises.
_A = (_rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_B = _rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
# One odd multiplier per position of a word in a shingle, and per row of a band.
_POSITION = (_rng.integers(0, 1 << 63, size=SHINGLE_WORDS, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_ROW = (_rng.integers(0, 1 << 63, size=ROWS, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_P = 1_000_003
_P_INVERSE = pow(_P, -1, 1 << 64)  # odd, so invertible modulo 2**64
# Word characters after folding: ASCII letters and digits, and every byte of a non-ASCII character
# (punctuation that matters, quotes and dashes, is folded to ASCII first).
_WORD_BYTE = np.zeros(256, dtype=bool)
for _chars in (b"abcdefghijklmnopqrstuvwxyz", b"0123456789", bytes(range(128, 256))):
    _WORD_BYTE[np.frombuffer(_chars, dtype=np.uint8)] = True
_BATCH_BYTES = 1 << 20  # bounds the working arrays (and the power tables) of one pass
_BLOCK = 16  # permutations per pass over a batch's shingles
_U32 = np.uint64(32)
_BAND_BITS = 48

Signature = npt.NDArray[np.uint32]
ShingleSet = npt.NDArray[np.uint32]


def shingles(text: str) -> ShingleSet:
    """The distinct 32-bit hashes of the text's overlapping 5-word shingles (stable across runs)."""
    return shingle_sets([text])[0]


def shingle_sets(texts: Sequence[str]) -> list[ShingleSet]:
    """`shingles` of many texts, computed together: far cheaper per text than one at a time."""
    folded = [fold_text(text).encode("utf-8") for text in texts]
    result: list[ShingleSet] = []
    start, size = 0, 0
    for index, data in enumerate(folded):
        size += len(data) + 1
        if size >= _BATCH_BYTES or index == len(folded) - 1:
            result += _shingle_batch(folded[start : index + 1])
            start, size = index + 1, 0
    return result


def _shingle_batch(folded: list[bytes]) -> list[ShingleSet]:
    # The texts joined by a non-word byte, so no word spans two texts.
    data = np.frombuffer(b"\n".join(folded) + b"\n", dtype=np.uint8)
    edges = np.diff(_WORD_BYTE[data].view(np.int8), prepend=np.int8(0))
    word_starts, word_ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    # Each word's hash: a polynomial over its bytes, from prefix sums (64-bit wrap-around, inverted
    # powers), so no Python loop over words.
    powers, inverse = _powers(len(data))
    prefix = np.zeros(len(data) + 1, dtype=np.uint64)
    np.cumsum(data.astype(np.uint64) * powers[: len(data)], out=prefix[1:])
    words = (prefix[word_ends] - prefix[word_starts]) * inverse[word_starts]

    text_starts = np.cumsum([0] + [len(f) + 1 for f in folded[:-1]])
    text_of_word = np.searchsorted(text_starts, word_starts, side="right") - 1
    word_count = np.bincount(text_of_word, minlength=len(folded))
    first_word = np.cumsum(word_count) - word_count
    # A text shorter than a shingle is one shingle of all its words.
    per_text = np.where(word_count > 0, np.maximum(1, word_count - SHINGLE_WORDS + 1), 0)
    text_of = np.repeat(np.arange(len(folded)), per_text)
    local = np.arange(len(text_of)) - np.repeat(np.cumsum(per_text) - per_text, per_text)
    hashes = np.zeros(len(text_of), dtype=np.uint64)
    last = len(words) - 1
    for position in range(SHINGLE_WORDS):
        present = local + position < word_count[text_of]
        word = words[np.minimum(first_word[text_of] + local + position, last)] if len(words) else hashes
        hashes += np.where(present, word * _POSITION[position], np.uint64(0))
    # A 64-bit finaliser (MurmurHash3's) so every bit of the 32 kept depends on every word.
    hashes ^= hashes >> np.uint64(33)
    hashes *= np.uint64(0xFF51AFD7ED558CCD)
    hashes ^= hashes >> np.uint64(33)
    # Distinct per text: sort (text, hash) keys and drop repeats (np.unique hashes first: slower).
    keys = (text_of.astype(np.uint64) << _U32) | (hashes >> _U32)
    keys.sort()
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    keys = keys[first]
    bounds = np.searchsorted(keys, np.arange(len(folded) + 1, dtype=np.uint64) << _U32)
    values = keys.astype(np.uint32)
    return [values[bounds[i] : bounds[i + 1]] for i in range(len(folded))]


_POWERS: list[npt.NDArray[np.uint64]] = []


def _powers(n: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """P**i and P**-i modulo 2**64 for i < n, computed once and grown by doubling."""
    if not _POWERS or len(_POWERS[0]) < n:
        # Room for a whole batch from the start: growing the tables costs more than hashing a batch.
        size = max(n, 2 * len(_POWERS[0]) if _POWERS else 2 * _BATCH_BYTES)
        tables = []
        for base in (_P, _P_INVERSE):
            table = np.full(size, base, dtype=np.uint64)
            table[0] = 1
            tables.append(np.cumprod(table))
        _POWERS[:] = tables
    return _POWERS[0], _POWERS[1]


def signature(shingle_set: ShingleSet) -> Signature:
    """The MinHash signature (NUM_PERM minima of universal hashes) of a shingle set."""
    sig: Signature = signatures([shingle_set])[0]
    return sig


def signatures(sets: Sequence[ShingleSet]) -> npt.NDArray[np.uint32]:
    """Signatures of many shingle sets, one row each: all the sets' values hashed in one pass per
    block of permutations, minima taken per set with `reduceat`. An empty set signs as all ones."""
    result = np.full((len(sets), NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    start = 0
    while start < len(sets):
        # About 65,000 shingles per pass: the block matrix then stays in cache.
        end, total = start, 0
        while end < len(sets) and (total == 0 or total + len(sets[end]) <= 1 << 16):
            total += len(sets[end])
            end += 1
        _sign_into(result, sets, start, end)
        start = end
    return result


def _sign_into(result: npt.NDArray[np.uint32], sets: Sequence[ShingleSet], start: int, end: int) -> None:
    filled = [i for i in range(start, end) if len(sets[i])]
    if not filled:
        return
    values = np.concatenate([sets[i] for i in filled]).astype(np.uint64)
    lengths = np.array([len(sets[i]) for i in filled])
    offsets = np.cumsum(lengths) - lengths
    minima = np.empty((NUM_PERM, len(filled)), dtype=np.uint64)
    block = np.empty((_BLOCK, len(values)), dtype=np.uint64)
    for perm in range(0, NUM_PERM, _BLOCK):
        np.multiply(_A[perm : perm + _BLOCK, None], values[None, :], out=block)
        block += _B[perm : perm + _BLOCK, None]
        # The top 32 bits of the minimum are the minimum of the top 32 bits: shift after.
        minima[perm : perm + _BLOCK] = np.minimum.reduceat(block, offsets, axis=1)
    result[filled] = (minima >> _U32).astype(np.uint32).T


def band_matrix(sigs: npt.NDArray[np.uint32], first_band: int = 0) -> npt.NDArray[np.int64]:
    """One hash per band of each signature (a row per signature): articles sharing any band hash are
    candidate copies. 48 bits of hash under the band's number (from `first_band`), so hashes of
    different bands never meet, and a million articles make few chance collisions."""
    rows = sigs[:, : BANDS * ROWS].reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
    mixed = (rows * _ROW).sum(axis=2, dtype=np.uint64)
    mixed ^= mixed >> np.uint64(31)
    mixed *= np.uint64(0x9E3779B97F4A7C15)
    bands = np.arange(first_band, first_band + BANDS, dtype=np.uint64) << np.uint64(_BAND_BITS)
    hashes: npt.NDArray[np.int64] = ((mixed >> np.uint64(64 - _BAND_BITS)) | bands).astype(np.int64)
    return hashes


def band_hashes(sig: Signature, first_band: int = 0) -> list[int]:
    """The band hashes of one signature."""
    return [int(b) for b in band_matrix(sig[None, :], first_band)[0]]


@dataclass(frozen=True)
class Comparison:
    jaccard: float
    containment: float  # of the smaller set in the larger
    kind: str | None  # verbatim | trimmed | edited, or None when not a copy


def compare(a: ShingleSet, b: ShingleSet) -> Comparison:
    """Exact similarity of two shingle sets, and what kind of copy that makes one of the other."""
    if len(a) == 0 or len(b) == 0:
        return Comparison(0.0, 0.0, None)
    common = len(np.intersect1d(a, b, assume_unique=True))
    jaccard = common / (len(a) + len(b) - common)
    containment = common / min(len(a), len(b))
    if jaccard >= 0.9:
        kind: str | None = "verbatim"
    elif containment >= 0.9 and min(len(a), len(b)) >= 20:
        kind = "trimmed"
    elif jaccard >= 0.3:
        # A 10% rewrite keeps about 60% of 5-word shingles (Jaccard ~0.4); independent reports of
        # one event share under 10%, and two releases sharing an agency footer about as little.
        kind = "edited"
    else:
        kind = None
    return Comparison(round(jaccard, 4), round(containment, 4), kind)
