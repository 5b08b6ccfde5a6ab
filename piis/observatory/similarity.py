"""How alike contracts are: MinHash over word shingles of their clause text, with banded LSH to find the pairs.

Small and dependency-free. Each contract's clause text becomes a set of word 3-shingles (lower case, accents
removed, one set per contract, shingles never straddle two clauses). The signature is a one-permutation MinHash
(Li, Owen, Zhang 2012): each shingle is hashed once (blake2b, 8 bytes, so the figure is the same in every process),
the hash picks one of `BINS` bins and the bin keeps its smallest value; an empty bin borrows the next non-empty one
("rotation" densification, Shrivastava 2017). The share of equal bins between two signatures estimates the Jaccard
similarity of the two shingle sets. Candidate pairs come from banded LSH (`BANDS` bands of `ROWS` bins: a pair whose
similarity is s becomes a candidate with probability 1 - (1 - s^ROWS)^BANDS, above 99 % from s = 0.8); each contract
is compared with at most `MAX_CANDIDATES` candidates, so the work stays linear in the number of contracts even when
thousands of them carry the same template text (they are then found alike at the first comparison).
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping

BINS = 64
BANDS = 16
ROWS = BINS // BANDS
SHINGLE_WORDS = 3
MAX_CANDIDATES = 20
# Two contracts are "alike" from this estimated Jaccard similarity of their clause text.
ALIKE_THRESHOLD = 0.8

_WORD = re.compile(r"\w+")
_EMPTY = -1


def words(text: str) -> list[str]:
    lowered = text.lower()
    if not lowered.isascii():
        decomposed = unicodedata.normalize("NFKD", lowered)
        lowered = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(lowered)


def _clause_shingles(text: str, size: int) -> frozenset[str]:
    """One text's shingles."""
    tokens = words(text)
    if not tokens:
        return frozenset()
    if len(tokens) <= size:
        return frozenset({" ".join(tokens)})
    return frozenset(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def shingles(
    texts: Iterable[str], size: int = SHINGLE_WORDS, cache: dict[str, frozenset[str]] | None = None
) -> set[str]:
    """The word `size`-shingles of each text (a text shorter than `size` words is one shingle). `cache`, a dict the
    caller keeps for one computation (never across requests: it holds clause text), saves re-reading library text
    that thousands of contracts repeat."""
    result: set[str] = set()
    for text in texts:
        if cache is None:
            result |= _clause_shingles(text, size)
            continue
        found = cache.get(text)
        if found is None:
            found = cache[text] = _clause_shingles(text, size)
        result |= found
    return result


def _hash(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")


def signature(shingle_set: Iterable[str], cache: dict[str, int] | None = None) -> tuple[int, ...] | None:
    """The one-permutation MinHash of a set of shingles; None for an empty set (nothing to compare). `cache`: as for
    `shingles`, the hashes of shingles already seen in this computation."""
    bins = [_EMPTY] * BINS
    for shingle in shingle_set:
        if cache is None:
            value = _hash(shingle)
        else:
            cached = cache.get(shingle)
            if cached is None:
                cached = cache[shingle] = _hash(shingle)
            value = cached
        index, rest = value % BINS, value // BINS
        if bins[index] == _EMPTY or rest < bins[index]:
            bins[index] = rest
    if all(b == _EMPTY for b in bins):
        return None
    # Rotation densification: an empty bin takes the next non-empty bin's value, offset by the distance.
    filled = list(bins)
    for i in range(BINS):
        if bins[i] != _EMPTY:
            continue
        for distance in range(1, BINS):
            other = bins[(i + distance) % BINS]
            if other != _EMPTY:
                filled[i] = other + distance * (1 << 58)
                break
    return tuple(filled)


def estimate(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the two sets behind two signatures."""
    return sum(map(operator.eq, a, b)) / BINS


def jaccard(a: set[str], b: set[str]) -> float:
    """The exact Jaccard similarity (tests and the documentation's examples)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def most_alike(signatures: Mapping[int, tuple[int, ...] | None]) -> dict[int, float]:
    """For each key, the highest estimated similarity to another key found among its LSH candidates (0.0 when
    there is none, or for a key without text)."""
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for key, sig in signatures.items():
        if sig is None:
            continue
        for band in range(BANDS):
            buckets[(band, sig[band * ROWS : (band + 1) * ROWS])].append(key)
    best: dict[int, float] = {}
    for key, sig in signatures.items():
        if sig is None:
            best[key] = 0.0
            continue
        seen: set[int] = {key}
        top = 0.0
        for band in range(BANDS):
            for other in buckets[(band, sig[band * ROWS : (band + 1) * ROWS])]:
                if other in seen:
                    continue
                seen.add(other)
                top = max(top, estimate(sig, signatures[other]))  # type: ignore[arg-type]
                if top >= ALIKE_THRESHOLD or len(seen) > MAX_CANDIDATES:
                    break
            if top >= ALIKE_THRESHOLD or len(seen) > MAX_CANDIDATES:
                break
        best[key] = top
    return best
