"""Near-duplicate ad texts: the ``shared_text`` indicator.

An ad whose text is a copy-paste of another ad's text with small edits (other
name, other age, other phone number, a word changed) is a classic sign of one
operator running several ads. :func:`similar_text_groups` finds those pairs in
a week's worth of ads (~100,000) without comparing all pairs:

1. **Normalise** every text (:func:`normalise_text`): casefold, strip accents
   (NFKD, drop combining marks), split into words (runs of letters, runs of
   digits; everything else is a separator), replace every run of digit words
   -- an age, a price, a phone number in any grouping ``06-12 34 56 78``,
   ``+31 6 1234 5678`` -- by a single ``#``, and join with single spaces. A
   changed age, price or phone number therefore does not hide a copy. Texts
   shorter than ``min_chars`` after normalisation are ignored: short texts
   ("Hi, call me 06...") are too generic to say anything.
2. **Exact duplicates** of the normalised text are grouped first (similarity
   100.0). Each distinct normalised text goes through the next steps once, so
   an ad reposted 5,000 times costs as much as one ad in blocking and
   verification and can never be lost to the bucket-size cap below (the
   output still lists all its pairs).
3. **Boilerplate shingles** are left out of the signatures: word 3-shingles
   found in at least ``STOP_SHARE`` (1%) *and* at least ``STOP_MIN_TEXTS``
   (1,000) of the distinct texts, estimated on a deterministic sample of at
   most ``STOP_SAMPLE`` (5,000) texts ("i am new", "call or whatsapp #",
   site footers). Shared boilerplate is what makes unrelated ads collide in
   LSH buckets; without it the candidate pairs drop about tenfold and a
   copy's *own* text decides. A text of which at least half the shingles are
   boilerplate keeps all its shingles (a pure template ad, or a copy ring of
   more than 1,000 texts: there the shared text *is* the signal). Below 1,000
   distinct texts nothing is left out. Verification (step 6) always uses the
   whole normalised text.
4. **Block** with MinHash + banded LSH. The signature is 32 MinHash values
   over the set of word 3-shingles. The 32 hash functions are the 32 16-bit
   lanes of one 512-bit ``hashlib.blake2b`` digest of the shingle (with a
   fixed personalisation string), so results are identical across runs and
   machines -- Python's ``hash()`` is salted per process and is not used --
   and one digest per shingle gives all 32 values. The signature is cut into
   16 bands of 2 rows; texts that agree on both rows of some band share a
   bucket and become candidates. With Jaccard similarity J between the
   shingle sets, a pair is a candidate with probability ``1 - (1 - J**2)**16``:
   0.9998 at J = 0.6, 0.99 at J = 0.5, 0.93 at J = 0.4, 0.40 at J = 0.18
   (unrelated ads sharing some text). 16-bit lanes are enough: for a text
   of ~75 shingles the chance that two *unrelated* minima collide is under 1
   in 1,000 per lane, 1 in 10^6 per band. (On the synthetic benchmark,
   16 32-bit values in 8 bands of 2 without the boilerplate filter found
   98.2% of the planted copies in 18 s; this layout with the filter finds
   99.6% in 14 s, from 0.4 million candidate pairs instead of 1.8 million.)
5. **Cap bucket size** (``max_block``). A bucket with more than
   ``max_block`` texts is never compared all-pairs: it comes from boilerplate
   shared by unrelated ads or from a large copy ring. Instead it is split by
   the next band (its texts must now agree on 4, 6, ... rows), which scatters
   unrelated ads into singletons while keeping close copies together;
   sub-buckets of at most ``max_block`` texts are compared. A sub-bucket still
   larger than ``max_block`` when all 32 rows agree is **skipped** (counted in
   the debug log). Consequences: within a ring of more than ``max_block``
   near-identical (not identical) texts, each member still finds partners
   (benchmark: 1,498 of a 1,500-ad ring flagged) but only a part of the
   ring's pairs is listed (19% at 1,500); the cost stays bounded by about
   ``texts x bands x max_block / 2`` comparisons. Identical normalised texts
   are never affected (step 2).
6. **Verify** every candidate pair once with :func:`rapidfuzz.fuzz.ratio` on
   the normalised texts with ``score_cutoff=threshold`` (rapidfuzz then
   skips pairs whose lengths alone rule them out). ``ratio`` (normalised
   Indel similarity, symmetric) is used rather than ``token_sort_ratio``: a
   copied template keeps its word order, while sorting the tokens makes two
   *different* ads written from the same vocabulary ("sexy", "discreet",
   "massage", "incall") look far more alike than they are -- more false
   positives, no extra copies found. Candidates are de-duplicated across
   bands, grouped by their first text and scored with ``process.extract``
   (the query is preprocessed once, the loop runs in C); ``process.cdist``
   would need numpy and would re-score pairs shared by several buckets.

The result is deterministic and independent of the input order: everything
is derived from the set of normalised texts, processed in sorted order.
Blocking is probabilistic: a pair just above ``threshold`` with few shared
3-shingles (edits spread over the whole text) can be missed; every pair
reported has been verified to be >= ``threshold``.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable

from rapidfuzz import fuzz, process

from mhtool.text import normalise_text

__all__ = [
    "BANDS",
    "NUM_HASHES",
    "ROWS",
    "SHINGLE_WORDS",
    "STOP_MIN_TEXTS",
    "STOP_SAMPLE",
    "STOP_SHARE",
    "minhash_signature",
    "normalise_text",
    "similar_text_groups",
]

logger = logging.getLogger(__name__)

#: Words per shingle.
SHINGLE_WORDS = 3
#: MinHash values per signature: the 32 16-bit lanes of one blake2b-512 digest.
NUM_HASHES = 32
#: LSH bands and rows per band; ``BANDS * ROWS == NUM_HASHES``.
BANDS = 16
ROWS = 2
#: A shingle found in at least this share of the texts (estimated on a sample)
#: is boilerplate and left out of the signatures ...
STOP_SHARE = 0.01
#: ... provided it is also found in at least this many texts.
STOP_MIN_TEXTS = 1000
#: Texts in the sample used to estimate shingle frequencies.
STOP_SAMPLE = 5000

_PERSON = b"mhtool-simtext1"  # blake2b personalisation (<= 16 bytes); change = new hash family
_BLAKE2B = hashlib.blake2b(digest_size=64, person=_PERSON)
_LANES = struct.Struct(f"<{NUM_HASHES}H")
_BAND_KEYS = struct.Struct(f"<{BANDS}I")  # ROWS 16-bit lanes = one 32-bit band key
assert BANDS * ROWS == NUM_HASHES and ROWS * 16 == 32


def _shingles(normalised: str) -> set[bytes]:
    """The word 3-shingles of a normalised text, as UTF-8 (words joined by one space)."""
    words = normalised.encode().split(b" ")
    if len(words) <= SHINGLE_WORDS:
        return {b" ".join(words)}
    return set(map(b" ".join, zip(*(words[k:] for k in range(SHINGLE_WORDS)))))


def _stop_shingles(texts: list[str]) -> frozenset[bytes]:
    """Boilerplate shingles: in >= STOP_SHARE and >= STOP_MIN_TEXTS of ``texts``.

    Frequencies are counted on every k-th text of the sorted list (at most
    STOP_SAMPLE texts), which is deterministic and independent of input order.
    """
    n = len(texts)
    if n < STOP_MIN_TEXTS:
        return frozenset()
    step = max(1, n // STOP_SAMPLE)
    sample = texts[::step]
    counts: Counter[bytes] = Counter()
    for text in sample:
        counts.update(_shingles(text))
    share = max(STOP_SHARE, STOP_MIN_TEXTS / n)
    limit = share * len(sample)
    return frozenset(shingle for shingle, count in counts.items() if count >= limit)


def minhash_signature(normalised: str, stop: frozenset[bytes] = frozenset()) -> tuple[int, ...]:
    """MinHash signature (``NUM_HASHES`` ints) of the word 3-shingles of a normalised text.

    Hash function *k* is lane *k* (16 bits, little-endian) of
    ``blake2b(shingle, digest_size=64, person=b"mhtool-simtext1")``; value *k*
    of the signature is its minimum over the shingles. Shingles in ``stop``
    are left out, unless at least half of the text's shingles are in it (a
    text that is mostly template is compared on all its shingles; see the
    module docstring).
    """
    shingles = _shingles(normalised)
    if stop:
        kept = shingles - stop
        if 2 * len(kept) > len(shingles):
            shingles = kept
    unpack = _LANES.unpack
    lanes = []
    for shingle in shingles:
        h = _BLAKE2B.copy()  # copying the initialised state is faster than a new object
        h.update(shingle)
        lanes.append(unpack(h.digest()))
    return tuple(map(min, zip(*lanes)))


def _sort_matches(matches: list[tuple[Hashable, float]]) -> None:
    try:
        matches.sort(key=lambda m: (-m[1], m[0]))
    except TypeError:  # keys of mixed, mutually unorderable types
        matches.sort(key=lambda m: (-m[1], type(m[0]).__name__, repr(m[0])))


def _sorted_keys(keys: Iterable[Hashable]) -> list[Hashable]:
    try:
        return sorted(keys)
    except TypeError:
        return sorted(keys, key=lambda k: (type(k).__name__, repr(k)))


def similar_text_groups(
    items: Iterable[tuple[Hashable, str]],
    *,
    threshold: float = 90.0,
    min_chars: int = 60,
    max_block: int = 200,
) -> dict[Hashable, list[tuple[Hashable, float]]]:
    """Find near-identical texts among ``(key, text)`` pairs.

    Returns ``{key: [(other_key, similarity), ...]}`` for every key with at
    least one other key whose normalised text has ``rapidfuzz.fuzz.ratio`` >=
    ``threshold`` (0-100); each list is sorted by similarity descending, then
    by key. The relation is symmetric; keys without a match are absent.
    Texts identical after :func:`normalise_text` score 100.0.

    Texts shorter than ``min_chars`` characters after normalisation are
    ignored. LSH buckets with more than ``max_block`` texts are split by
    further bands and, if that does not bring them down to ``max_block``,
    skipped (see the module docstring). Blocking is probabilistic: a pair
    just above ``threshold`` with few shared 3-shingles may be missed; a
    pair reported is always verified to be >= ``threshold``.

    A key given twice with the same text is counted once; a key given twice
    with different texts raises ``ValueError``.
    """
    if not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be between 0 and 100, got {threshold!r}")
    if max_block < 2:
        raise ValueError(f"max_block must be at least 2, got {max_block!r}")

    # 1. Normalise; group keys by normalised text.
    t0 = time.perf_counter()
    text_of_key: dict[Hashable, str] = {}
    keys_of_text: dict[str, list[Hashable]] = defaultdict(list)
    n_items = 0
    for key, text in items:
        n_items += 1
        norm = normalise_text(text)
        if key in text_of_key:
            if text_of_key[key] != norm:
                raise ValueError(f"key {key!r} given twice with different texts")
            continue
        text_of_key[key] = norm
        if len(norm) >= min_chars:
            keys_of_text[norm].append(key)

    texts = sorted(keys_of_text)  # sorted: ids independent of input order
    n = len(texts)

    # 2.-5. Boilerplate filter, signatures, banded LSH with capped buckets
    #       -> candidate pairs (i, j), i < j, encoded as i * n + j.
    started = time.perf_counter()
    stop_shingles = _stop_shingles(texts)
    # Band b's key is lanes 2b and 2b+1 read as one 32-bit int.
    band_keys = [_BAND_KEYS.unpack(_LANES.pack(*minhash_signature(t, stop_shingles))) for t in texts]
    signed = time.perf_counter()
    columns = list(zip(*band_keys)) if band_keys else []
    del band_keys
    candidates: set[int] = set()
    skipped_buckets = skipped_texts = 0
    for band in range(BANDS):
        buckets: dict[int, list[int]] = defaultdict(list)
        for i, key in enumerate(columns[band] if columns else ()):
            buckets[key].append(i)
        pending = [(members, 1) for members in buckets.values() if len(members) > 1]
        while pending:
            members, depth = pending.pop()
            if len(members) <= max_block:
                for a, i in enumerate(members):  # members are ascending
                    base = i * n
                    candidates.update(base + j for j in members[a + 1 :])
            elif depth < BANDS:
                # Too big: split by the next band (agreement on more rows).
                column = columns[(band + depth) % BANDS]
                split: dict[int, list[int]] = defaultdict(list)
                for i in members:
                    split[column[i]].append(i)
                pending.extend((sub, depth + 1) for sub in split.values() if len(sub) > 1)
            else:
                skipped_buckets += 1
                skipped_texts += len(members)
    del columns
    blocked = time.perf_counter()

    # 6. Verify each candidate pair once, grouped by the first text so that
    #    rapidfuzz preprocesses it once (process.extract, loop in C).
    matched: list[tuple[int, int, float]] = []
    ordered = sorted(candidates)
    n_candidates = len(ordered)
    del candidates
    start = 0
    while start < n_candidates:
        i = ordered[start] // n
        end = bisect_left(ordered, (i + 1) * n, start)
        others = [code - i * n for code in ordered[start:end]]
        hits = process.extract(
            texts[i], [texts[j] for j in others], scorer=fuzz.ratio, score_cutoff=threshold, limit=None
        )
        matched.extend((i, others[index], score) for _, score, index in hits)
        start = end

    logger.debug(
        "similar_text_groups: %d items, %d distinct texts >= %d chars, %d stop shingles, "
        "%d candidate pairs, %d oversized buckets skipped (%d texts), %d matching pairs of texts; "
        "%.1f s normalise, %.1f s signatures, %.1f s blocking, %.1f s verifying",
        n_items,
        n,
        min_chars,
        len(stop_shingles),
        n_candidates,
        skipped_buckets,
        skipped_texts,
        len(matched),
        started - t0,
        signed - started,
        blocked - signed,
        time.perf_counter() - blocked,
    )

    # Expand distinct texts back to keys (a group of k identical texts
    # contributes k * (k - 1) entries: the output lists every pair).
    result: dict[Hashable, list[tuple[Hashable, float]]] = defaultdict(list)
    for text in texts:
        keys = keys_of_text[text]
        if len(keys) > 1:
            for k in keys:
                result[k].extend((other, 100.0) for other in keys if other != k)
    for i, j, score in matched:
        keys_i, keys_j = keys_of_text[texts[i]], keys_of_text[texts[j]]
        for k in keys_i:
            result[k].extend((other, score) for other in keys_j)
        for k in keys_j:
            result[k].extend((other, score) for other in keys_i)
    for matches in result.values():
        _sort_matches(matches)
    return {key: result[key] for key in _sorted_keys(result)}
