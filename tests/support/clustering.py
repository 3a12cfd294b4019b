"""Adjusted Rand index of a clustering against the truth, for scoring announcement grouping."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from math import comb


def adjusted_rand_index(truth: Mapping[str, Hashable], found: Mapping[str, Hashable]) -> float:
    """ARI (Hubert and Arabie) over the items both assign: 1.0 for the same partition, about 0 by chance."""
    items = sorted(truth.keys() & found.keys())
    pairs = Counter((truth[i], found[i]) for i in items)
    same_both = sum(comb(n, 2) for n in pairs.values())
    same_truth = sum(comb(n, 2) for n in Counter(truth[i] for i in items).values())
    same_found = sum(comb(n, 2) for n in Counter(found[i] for i in items).values())
    expected = same_truth * same_found / comb(len(items), 2) if len(items) > 1 else 0.0
    best = (same_truth + same_found) / 2
    return 1.0 if best == expected else (same_both - expected) / (best - expected)
