"""Near-duplicate ad texts: the ``shared_text`` indicator.

An ad whose text is a copy-paste of another ad's text with small edits (other
name, other age, other phone number, a word changed) is a classic sign of one
operator running several ads. :func:`similar_text_groups` finds those pairs in
a week's worth of ads (~100,000) without comparing all pairs:

1. **Normalise** every text (:func:`normalise_text`): casefold, strip accents,
   drop punctuation, replace every run of digits -- including phone numbers
   written with spaces, dashes, dots, brackets or a leading ``+`` -- by a
   single ``#`` and collapse whitespace. A changed age, price or phone number
   therefore does not hide a copy. Texts shorter than ``min_chars`` after
   normalisation are ignored: short texts ("Hi, call me 06...") are too
   generic to say anything.
2. **Exact duplicates** of the normalised text are grouped first (similarity
   100). Each distinct normalised text goes through the next steps once, so
   an ad reposted 5,000 times costs as much as one ad and can never be lost
   to the bucket-size cap below.
3. **Block** with MinHash + banded LSH. The signature is 16 MinHash values
   over the set of word 3-shingles. The 16 hash functions are the 16 32-bit
   lanes of one 512-bit ``hashlib.blake2b`` digest of the shingle (keyed with
   a fixed personalisation string), so results are identical across runs and
   machines -- Python's ``hash()`` is salted per process and is not used. The
   signature is cut into 8 bands of 2 rows; texts that agree on all rows of
   some band land in the same bucket and become candidates. With Jaccard
   similarity J between the shingle sets, a pair is a candidate with
   probability ``1 - (1 - J**2)**8``: 0.998 at J = 0.75 (a template with a
   couple of words changed), 0.90 at J = 0.5, 0.23 at J = 0.18 (two
   different ads sharing boilerplate), 0.08 at J = 0.1.
4. **Cap bucket size** (``max_block``). A bucket with more than
   ``max_block`` texts is never compared all-pairs: such buckets come from
   boilerplate shared by unrelated ads ("new in town", "100% discreet") or
   from a large copy ring. Instead the bucket is split by the next band
   (texts must now agree on 4, 6, ... rows), which scatters unrelated ads
   into tiny buckets while keeping real copies together; sub-buckets of at
   most ``max_block`` texts are compared. A (sub-)bucket still larger than
   ``max_block`` when all 16 rows agree is **skipped** (counted in the debug
   log). Consequence: a near-copy pair is missed only if every band it shares
   sits in such an unsplittable bucket -- in practice, only within a ring of
   more than ``max_block`` near-identical (but not identical) texts; members
   of such a ring still match through their other bands. Identical
   normalised texts are never affected (step 2).
5. **Verify** every candidate pair once with :func:`rapidfuzz.fuzz.ratio` on
   the normalised texts, with ``score_cutoff=threshold`` so rapidfuzz can
   stop early (including its length pre-check). ``ratio`` (normalised
   Indel similarity) is used rather than ``token_sort_ratio``: a copied
   template keeps its word order, while sorting the tokens makes two
   *different* ads written from the same vocabulary ("sexy", "discreet",
   "massage", "incall") look far more alike than they are, so
   ``token_sort_ratio`` would raise false positives without finding more
   copies. Candidates are de-duplicated across bands before verifying, so
   each pair is scored once (``process.cdist`` would need numpy and would
   re-score pairs shared by several buckets).

The result is deterministic and independent of the input order: everything
is derived from the set of normalised texts, which is processed in sorted
order, and ``ratio`` is symmetric.
"""

from __future__ import annotations

import hashlib
import logging
import re
import struct
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable

from rapidfuzz import fuzz

__all__ = [
    "BANDS",
    "NUM_HASHES",
    "ROWS",
    "SHINGLE_WORDS",
    "minhash_signature",
    "normalise_text",
    "similar_text_groups",
]

logger = logging.getLogger(__name__)

#: Words per shingle.
SHINGLE_WORDS = 3
#: MinHash values per signature (the 16 32-bit lanes of one blake2b-512 digest).
NUM_HASHES = 16
#: LSH bands and rows per band; ``BANDS * ROWS == NUM_HASHES``.
BANDS = 8
ROWS = 2

_PERSON = b"mhtool-simtext1"  # blake2b personalisation (<= 16 bytes); change = new hash family
_LANES = struct.Struct(f"<{NUM_HASHES}I")

# Everything that is not a letter or digit (\W plus "_") separates words.
_SEPARATORS = re.compile(r"[\W_]+")
# After separators became single spaces: a run of digit groups ("06 12 34 56
# 78", "+31 6 1234-5678", "23", "150") is one number or phone -> one "#".
_DIGIT_RUN = re.compile(r"\d+(?: \d+)*")


def normalise_text(text: str | None) -> str:
    """Return ``text`` casefolded, without accents, punctuation or numbers.

    Every run of digits, including phone numbers written in groups, becomes a
    single ``#`` token; words are separated by one space::

        >>> normalise_text("Hoi! Ik ben Anna (23), bel 06-12 34 56 78. Café 100%")
        'hoi ik ben anna # bel # cafe #'
    """
    if not text:
        return ""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _SEPARATORS.sub(" ", text)
    text = _DIGIT_RUN.sub("#", text)
    return " ".join(text.split())


def _shingles(normalised: str) -> set[str]:
    words = normalised.split(" ")
    if len(words) <= SHINGLE_WORDS:
        return {normalised}
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def minhash_signature(normalised: str) -> tuple[int, ...]:
    """MinHash signature (``NUM_HASHES`` ints) of the word 3-shingles of a normalised text.

    Hash function *k* is lane *k* of ``blake2b(shingle, digest_size=64)``;
    value *k* of the signature is its minimum over the shingles.
    """
    blake2b = hashlib.blake2b
    unpack = _LANES.unpack
    lanes = [unpack(blake2b(s.encode(), digest_size=64, person=_PERSON).digest())
             for s in _shingles(normalised)]
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

    # 2.-4. Signatures, banded LSH, capped buckets -> candidate pairs (i < j).
    signatures = [minhash_signature(t) for t in texts]
    candidates: set[int] = set()
    skipped_buckets = skipped_texts = 0
    for band in range(BANDS):
        lo = band * ROWS
        buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for i, sig in enumerate(signatures):
            buckets[sig[lo:lo + ROWS]].append(i)
        pending = [(members, 1) for members in buckets.values() if len(members) > 1]
        while pending:
            members, depth = pending.pop()
            if len(members) <= max_block:
                for a, i in enumerate(members):  # members are ascending
                    base = i * n
                    candidates.update(base + j for j in members[a + 1:])
            elif depth < BANDS:
                # Too big: split by the next band (agreement on more rows).
                lo2 = ((band + depth) % BANDS) * ROWS
                split: dict[tuple[int, ...], list[int]] = defaultdict(list)
                for i in members:
                    split[signatures[i][lo2:lo2 + ROWS]].append(i)
                pending.extend((sub, depth + 1) for sub in split.values() if len(sub) > 1)
            else:
                skipped_buckets += 1
                skipped_texts += len(members)
    del signatures

    # 5. Verify each candidate pair once.
    ratio = fuzz.ratio
    matched: list[tuple[int, int, float]] = []
    for code in sorted(candidates):
        i, j = divmod(code, n)
        score = ratio(texts[i], texts[j], score_cutoff=threshold)
        if score >= threshold:  # ratio() returns 0.0 below score_cutoff
            matched.append((i, j, score))

    logger.debug(
        "similar_text_groups: %d items, %d distinct texts >= %d chars, %d candidate pairs, "
        "%d matching pairs of texts, %d oversized buckets skipped (%d texts)",
        n_items, n, min_chars, len(candidates), len(matched), skipped_buckets, skipped_texts,
    )

    # Expand distinct texts back to keys.
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
