"""The ``shared_text`` indicator: distinctive wording shared by a *small* group.

Sites and agencies write ads from templates: texts that differ only in the
name, the age and the place. Such text says nothing about who is behind an
ad. What does is the lesson of InfoShield (Lee et al., "InfoShield: Generalizable
Information-Theoretic Human-Trafficking Detection", ICDE 2021): trafficking shows
up as *small* clusters of near-duplicate ads -- one writer for a handful of
workers -- while a template used by many unrelated advertisers is a large
cluster that is only boilerplate. InfoShield finds templates by the phrases
ads share and scores each ad by what the template does not explain. This
module does the same with plain counting, which is exact and needs no model:

1. Every text is normalised (:func:`mhtool.text.normalise_text`: case,
   accents, punctuation and numbers do not count) and cut into word
   3-shingles.
2. An ad's **persona** is its (folded) name with its phone numbers. For
   every shingle, count the personas whose text has it. A shingle used by
   more than ``max_group`` personas is **common**: template or site
   boilerplate ("ik ontvang je discreet in mijn appartement"), left out
   whatever the number of ads. What is left of a text is its **own
   wording**: the part the templates do not explain. A text that is half
   template keeps only its own half.
3. Two texts **share** their wording when they have at least
   ``min_shingles`` own shingles in common and these are at least
   ``min_overlap`` of the smaller own part. Candidate pairs come from an
   inverted index on own shingles (a shingle is posted by at most a few
   personas by construction, so this stays linear in practice).
4. Sharing texts form **groups** (connected components). A group with more
   than ``max_group`` personas is a large template group: it counts for
   nothing. In a small group, an ad gets the indicator when the group holds
   ads of *other* personas (another name or another phone number); one
   worker who posts the same text twice is not a sign.

The result depends only on the set of (ad, text, persona) items, not on
their order. The counting is done on arrays (numpy): a week of 30,000 ads
has about 1.3 million shingles, which as Python sets of ints took 125 MB
and as arrays take 10 MB.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from mhtool.text import normalise_text

__all__ = [
    "MAX_GROUP",
    "MIN_OVERLAP",
    "MIN_SHINGLES",
    "TextShare",
    "shared_wording",
    "shingle_hashes",
]

#: More personas than this sharing a phrase, or a group: a template.
MAX_GROUP = 8
#: Own shingles two texts must have in common (a run of about 10 words).
MIN_SHINGLES = 8
#: ... and the share of the smaller own part they must make up.
MIN_OVERLAP = 0.5
#: Texts posting one shingle beyond which it is not looked at for pairs
#: (it is then also used by many texts of a few personas).
_MAX_POSTING = 60


def shingle_hashes(text: str | None) -> np.ndarray:
    """The distinct word 3-shingles of the normalised text, hashed with
    Python's ``hash`` (twice as fast as a digest), as an int64 array. The
    values differ between runs, but they are only compared within one run,
    and the result depends only on which shingles are equal, so it is the
    same on every run."""
    words = normalise_text(text).split()
    if len(words) < 3:
        values: Iterable[int] = [hash(tuple(words))] if words else []
    else:
        values = set(map(hash, zip(words, words[1:], words[2:])))
    return np.fromiter(values, dtype=np.int64)


@dataclass(frozen=True)
class TextShare:
    """What a small group says about one ad."""

    ads: int  # other ads in the group with another persona
    names: int  # distinct other names among them
    group: int  # personas in the group, this one included


def _starts(sorted_values: np.ndarray) -> np.ndarray:
    """True where a run of equal values begins."""
    starts = np.ones(len(sorted_values), dtype=bool)
    starts[1:] = sorted_values[1:] != sorted_values[:-1]
    return starts


def _persona_counts(shingle: np.ndarray, persona: np.ndarray) -> np.ndarray:
    """For every entry: the number of personas whose texts have its shingle."""
    order = np.lexsort((persona, shingle))
    by_shingle, by_persona = shingle[order], persona[order]
    first_of_shingle = _starts(by_shingle)
    first_of_persona = first_of_shingle | _starts(by_persona)
    run = np.cumsum(first_of_shingle) - 1
    counts = np.bincount(run, weights=first_of_persona).astype(np.int64)
    out = np.empty(len(shingle), dtype=np.int64)
    out[order] = counts[run]
    return out


def _pairs(shingle: np.ndarray, key: np.ndarray, own: np.ndarray, min_shingles: int, min_overlap: float):
    """Pairs of key indices with enough own shingles in common, from entries
    (shingle, key) that are shared by 2 to max_group personas."""
    order = np.lexsort((key, shingle))
    by_shingle, by_key = shingle[order], key[order]
    bounds = np.flatnonzero(_starts(by_shingle)).tolist() + [len(by_shingle)]
    members = by_key.tolist()
    width = len(own)
    codes: list[int] = []
    for start, end in zip(bounds, bounds[1:]):
        if 1 < end - start <= _MAX_POSTING:
            codes.extend(i * width + j for i, j in combinations(members[start:end], 2))
    if not codes:
        return
    pairs, together = np.unique(np.array(codes, dtype=np.int64), return_counts=True)
    first, second = pairs // width, pairs % width
    smaller = np.minimum(own[first], own[second])
    enough = (together >= min_shingles) & (together >= min_overlap * smaller)
    yield from zip(first[enough].tolist(), second[enough].tolist())


# Long: one pass from texts to groups; the steps are numbered in the module docstring.
def shared_wording(
    items: Iterable[tuple[Hashable, str | None, Hashable, str]],
    *,
    max_group: int = MAX_GROUP,
    min_shingles: int = MIN_SHINGLES,
    min_overlap: float = MIN_OVERLAP,
    shingles: Mapping[Any, np.ndarray] | None = None,
) -> dict[Hashable, TextShare]:
    """``items`` are ``(key, text, persona, name)``; returns a :class:`TextShare`
    for every key that shares its own wording with ads of other personas in a
    group of at most ``max_group`` personas. ``shingles`` may hold the
    precomputed :func:`shingle_hashes` of some keys."""
    persona: dict[Hashable, Hashable] = {}
    name: dict[Hashable, str] = {}
    sets: dict[Hashable, np.ndarray] = {}
    for key, text, who, label in items:
        persona[key] = who
        name[key] = label
        sets[key] = shingles[key] if shingles and key in shingles else shingle_hashes(text)
    keys = sorted(sets, key=repr)
    if not keys:
        return {}
    number: dict[Hashable, int] = {}
    key_persona = np.array([number.setdefault(persona[k], len(number)) for k in keys], dtype=np.int64)
    lengths = np.array([len(sets[k]) for k in keys], dtype=np.int64)
    shingle = np.concatenate([sets[k] for k in keys]).astype(np.int64, copy=False)
    del sets
    key_of = np.repeat(np.arange(len(keys), dtype=np.int64), lengths)
    counts = _persona_counts(shingle, key_persona[key_of])
    own = np.bincount(key_of, weights=counts <= max_group, minlength=len(keys))  # own wording: not common
    candidate = (counts > 1) & (counts <= max_group) & (own[key_of] >= min_shingles)
    del counts
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while i in parent:
            i = parent[i]
        return i

    linked: set[int] = set()
    for a, b in _pairs(shingle[candidate], key_of[candidate], own, min_shingles, min_overlap):
        linked.update((a, b))
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[Hashable]] = defaultdict(list)
    for i in linked:
        groups[root(i)].append(keys[i])
    out: dict[Hashable, TextShare] = {}
    for group in groups.values():
        personas = {persona[k] for k in group}
        if len(personas) > max_group or len(personas) < 2:
            continue
        for key in group:
            others = [k for k in group if persona[k] != persona[key]]
            names = {name[k] for k in others if name[k] and name[k] != name[key]}
            out[key] = TextShare(len(others), len(names), len(personas))
    return out
