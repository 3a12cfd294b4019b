"""What the warehouse keeps per article to find its copies: the shingle set, the MinHash signature
and the LSH band hashes of its text and of its lead. Pure; the load and the benchmark share it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from iot_ingest.dedup.minhash import BANDS, ShingleSet, band_matrix, shingle_sets, signatures

__all__ = ["LEAD_WORDS", "Signed", "sign_texts"]

LEAD_WORDS = 120  # trimmed copies keep the start: the lead gets bands of its own


@dataclass(frozen=True)
class Signed:
    sets: list[ShingleSet]
    signatures: npt.NDArray[np.uint32]  # one row of NUM_PERM values per text
    bands: npt.NDArray[np.int64]  # one row per text: BANDS of the whole text, then BANDS of its lead


def sign_texts(texts: Sequence[str]) -> Signed:
    """Shingle sets, signatures and band hashes of many texts (boilerplate already left out)."""
    sets = shingle_sets(texts)
    sigs = signatures(sets)
    leads = signatures(shingle_sets([" ".join(text.split()[:LEAD_WORDS]) for text in texts]))
    bands = np.hstack((band_matrix(sigs), band_matrix(leads, first_band=BANDS)))
    return Signed(sets, sigs, bands)
