"""Near-duplicate text: word shingles, MinHash signatures and LSH bands, all pure and vectorised.

A copy of a press release shares most of its 5-word shingles with the original. MinHash estimates
the Jaccard similarity of two shingle sets from fixed-size signatures; banding the signature makes
candidate pairs findable with an equality join. Every candidate is then verified on the exact sets
(`compare`), so shared boilerplate cannot chain unrelated articles together.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from iot_ingest.dedup.exact import normalise_text

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "Comparison",
    "band_hashes",
    "compare",
    "shingles",
    "signature",
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
_P = 1_000_003
_P_INVERSE = pow(_P, -1, 1 << 64)  # odd, so invertible modulo 2**64
_NON_WORD = re.compile(r"[\W_]+")

Signature = npt.NDArray[np.uint32]


def shingles(text: str, size: int = SHINGLE_WORDS) -> npt.NDArray[np.uint32]:
    """The distinct 32-bit hashes of the text's overlapping `size`-word shingles (stable across runs).

    A polynomial hash over the bytes with prefix sums (64-bit wrap-around, inverted powers) gives
    every shingle's hash without a Python loop over words.
    """
    clean = _NON_WORD.sub(" ", normalise_text(text)).strip()
    if not clean:
        return np.empty(0, dtype=np.uint32)
    data = np.frombuffer(clean.encode("utf-8"), dtype=np.uint8).astype(np.uint64)
    n = len(data)
    powers, inverse = _powers(n)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(data * powers[:n], out=prefix[1:])
    spaces = np.flatnonzero(data == 32)
    starts = np.concatenate((np.zeros(1, dtype=np.int64), spaces + 1))
    ends = np.concatenate((spaces, np.full(1, n, dtype=np.int64)))
    count = max(1, len(starts) - size + 1)
    first, last = starts[:count], ends[min(size, len(ends)) - 1 :][:count]
    hashes = (prefix[last] - prefix[first]) * inverse[first]
    return np.unique((hashes ^ (hashes >> np.uint64(32))).astype(np.uint32))


_POWERS: list[npt.NDArray[np.uint64]] = []


def _powers(n: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """P**i and P**-i modulo 2**64 for i < n, computed once and grown by doubling."""
    if not _POWERS or len(_POWERS[0]) < n:
        size = max(n, 2 * len(_POWERS[0]) if _POWERS else 65536)
        tables = []
        for base in (_P, _P_INVERSE):
            table = np.full(size, base, dtype=np.uint64)
            table[0] = 1
            tables.append(np.cumprod(table))
        _POWERS[:] = tables
    return _POWERS[0], _POWERS[1]


def signature(shingle_hashes: npt.NDArray[np.uint32]) -> Signature:
    """The MinHash signature (NUM_PERM minima of universal hashes) of a shingle set."""
    if len(shingle_hashes) == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    values = shingle_hashes.astype(np.uint64)[None, :]
    minima = np.empty(NUM_PERM, dtype=np.uint64)
    # In blocks, so a long page does not build one NUM_PERM x shingles matrix at once.
    for start in range(0, NUM_PERM, 32):
        block = (_A[start : start + 32, None] * values + _B[start : start + 32, None]) >> np.uint64(32)
        minima[start : start + 32] = block.min(axis=1)
    return minima.astype(np.uint32)


def band_hashes(sig: Signature) -> list[int]:
    """One 63-bit hash per band: articles sharing any band hash are candidate copies."""
    rows = sig[: BANDS * ROWS].reshape(BANDS, ROWS)
    return [zlib.crc32(row.tobytes()) | (band << 32) for band, row in enumerate(rows)]


@dataclass(frozen=True)
class Comparison:
    jaccard: float
    containment: float  # of the smaller set in the larger
    kind: str | None  # verbatim | trimmed | edited, or None when not a copy


def compare(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> Comparison:
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
