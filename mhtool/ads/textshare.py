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
their order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mhtool.text import normalise_text

__all__ = [
    "MAX_GROUP",
    "MIN_OVERLAP",
    "MIN_SHINGLES",
    "TextShare",
    "persona_counts",
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


def shingle_hashes(text: str | None) -> frozenset[int]:
    """The word 3-shingles of the normalised text, hashed with Python's
    ``hash`` (twice as fast as a digest). The values differ between runs,
    but they are only compared within one run, and the result depends only
    on which shingles are equal, so it is the same on every run."""
    words = normalise_text(text).split()
    if len(words) < 3:
        return frozenset([hash(tuple(words))]) if words else frozenset()
    return frozenset(map(hash, zip(words, words[1:], words[2:])))


@dataclass(frozen=True)
class TextShare:
    """What a small group says about one ad."""

    ads: int  # other ads in the group with another persona
    names: int  # distinct other names among them
    group: int  # personas in the group, this one included


def persona_counts(shingles: dict[Hashable, frozenset[int]], persona: dict[Hashable, Hashable]) -> Counter[int]:
    """For every shingle: the number of personas whose texts have it."""
    keys: dict[Hashable, list[Hashable]] = defaultdict(list)
    for key in shingles:
        keys[persona[key]].append(key)
    counts: Counter[int] = Counter()
    for members in keys.values():
        # most personas have one ad: its set is counted as it is, not copied
        own: frozenset[int] | set[int] = (
            shingles[members[0]] if len(members) == 1 else set().union(*(shingles[k] for k in members))
        )
        counts.update(own)  # the counting loop runs in C
    return counts


def _pairs(own: dict[Hashable, frozenset[int]], shared: set[int], min_shingles: int, min_overlap: float):
    """Pairs of keys with enough own shingles in common; only the shingles in
    `shared` (used by 2 to max_group personas) can make a pair of personas."""
    keys = sorted(own, key=repr)
    postings: dict[int, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        if len(own[key]) >= min_shingles:
            for shingle in own[key] & shared:
                postings[shingle].append(i)
    together: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        if 1 < len(members) <= _MAX_POSTING:
            together.update((i, j) for a, i in enumerate(members) for j in members[a + 1 :])
    for (i, j), n in together.items():
        smaller = min(len(own[keys[i]]), len(own[keys[j]]))
        if n >= min_shingles and n >= min_overlap * smaller:
            yield keys[i], keys[j]


def shared_wording(
    items: Iterable[tuple[Hashable, str | None, Hashable, str]],
    *,
    max_group: int = MAX_GROUP,
    min_shingles: int = MIN_SHINGLES,
    min_overlap: float = MIN_OVERLAP,
    shingles: Mapping[Any, frozenset[int]] | None = None,
) -> dict[Hashable, TextShare]:
    """``items`` are ``(key, text, persona, name)``; returns a :class:`TextShare`
    for every key that shares its own wording with ads of other personas in a
    group of at most ``max_group`` personas. ``shingles`` may hold the
    precomputed :func:`shingle_hashes` of some keys."""
    persona: dict[Hashable, Hashable] = {}
    name: dict[Hashable, str] = {}
    sets: dict[Hashable, frozenset[int]] = {}
    for key, text, who, label in items:
        persona[key] = who
        name[key] = label
        sets[key] = shingles[key] if shingles and key in shingles else shingle_hashes(text)
    counts = persona_counts(sets, persona)
    common = {s for s, n in counts.items() if n > max_group}
    shared = {s for s, n in counts.items() if 1 < n <= max_group}
    del counts
    own = sets  # each set becomes its own wording in place: a week's sets are held once
    for key, mine in own.items():
        if not common.isdisjoint(mine):
            own[key] = mine - common
    parent: dict[Hashable, Hashable] = {}

    def root(key):
        while key in parent:
            key = parent[key]
        return key

    linked: set[Hashable] = set()
    for a, b in _pairs(own, shared, min_shingles, min_overlap):
        linked.update((a, b))
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb, key=repr)] = min(ra, rb, key=repr)
    groups: dict[Hashable, list[Hashable]] = defaultdict(list)
    for key in linked:
        groups[root(key)].append(key)
    out: dict[Hashable, TextShare] = {}
    for members in groups.values():
        personas = {persona[k] for k in members}
        if len(personas) > max_group or len(personas) < 2:
            continue
        for key in members:
            others = [k for k in members if persona[k] != persona[key]]
            names = {name[k] for k in others if name[k] and name[k] != name[key]}
            out[key] = TextShare(len(others), len(names), len(personas))
    return out
