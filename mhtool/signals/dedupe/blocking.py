"""Blocking: which pairs of signals are worth comparing at all.

Signals that share a blocking key (matchkeys.blocking_keys) become candidate
pairs; never all pairs. A block larger than `MAX_BLOCK` is compared only
within a window of `WINDOW` neighbours in date order; one larger than
`MAX_KEY` identifies nothing and is passed over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from mhtool.signals.dedupe.matchkeys import SEEKS, Profile, blocking_keys
from mhtool.signals.dedupe.phases import phase

MAX_BLOCK = 50
WINDOW = 10
MAX_KEY = 1000

Pair = tuple[int, int]
# A block of which only some members are given: its ids in (date, id)
# order, and the places in it of the signals whose pairs are wanted.
Order = tuple[Sequence[int], list[int]]


# Keys whose agreement is a strong identifier by itself; a pair found only
# through half a name ("i:", "j:", "I:", "J:") or a phone with masked digits
# ("q:") is strong only if evidence.could_link says so.
_STRONG_KEYS = ("p:", "v:", "u:", "h:", "a:", "A:", "n:")
# One-sided keys: they pair only the signals that seek on them (matchkeys.SEEKS).
ONE_SIDED = ("A:", "I:", "J:")


# Long: one pass over the keys with its caps and one-sided rules side by side, as docs/dedupe.md describes them.
def candidate_pairs(
    profiles: Iterable[Profile],
    touching: set[int] | None = None,
    unsure: set[int] | None = None,
    passed_over: frozenset[str] | set[str] = frozenset(),
    keys_of: Callable[[Profile], list[str]] = blocking_keys,
    orders: dict[str, Order] | None = None,
) -> dict[Pair, bool]:
    """Pairs that share a blocking key -> whether that key is a strong one;
    with `touching`, only pairs with a signal in it. A key shared by more
    than `MAX_KEY` signals identifies nothing (a helpline, 'Jan Jansen') and
    is passed over.

    On a one-sided key (an address or half a name without the
    municipality) only a signal that seeks on it (its municipality is not
    known) is paired, with the other signals in its block; unless those are
    in more than one municipality: then which one is meant is a guess, and
    it is paired only with the others that do not know their municipality
    either. `unsure` collects the signals for which that is the case: with
    `touching`, their earlier links may have been made before the guess
    arose, and must be looked at again. `passed_over`: keys known to be
    shared by more than `MAX_KEY` signals, of which not all are given.
    `keys_of`: blocking_keys, or a cache of it (stream.py). `orders`, by
    key: blocks of which only the members near a signal in `touching` are
    given (blockreader.py), with their whole order and the places of the
    signals of `touching` in it: their pairs are those of the whole block."""
    phase("linking: finding candidate pairs", None)
    profiles = sorted(profiles, key=lambda p: (p.day, p.id))
    wanted = None  # with `touching`: only the keys of those signals make pairs
    if touching is not None:
        wanted = {key.lstrip(SEEKS) for p in profiles if p.id in touching for key in keys_of(p)} - passed_over
    lists: dict[str, list[int]] = defaultdict(list)
    seekers: dict[str, set[int]] = defaultdict(set)
    place: dict[int, str] = {}
    for p in profiles:
        place[p.id] = p.gemeente
        for key in keys_of(p):
            if key[0] == SEEKS:
                key = key[1:]
                seekers[key].add(p.id)
            if (wanted is None or key in wanted) and not (orders and key in orders):
                lists[key].append(p.id)
    blocks: dict[str, Sequence[int]] = dict(lists)
    given: dict[str, list[int]] = {}  # of a block given in part: the places of `touching` in it
    for key, (order, places) in (orders or {}).items():
        if wanted is None or key in wanted:
            blocks[key], given[key] = order, places
    pairs: dict[Pair, bool] = {}

    def add(a: int, b: int, strong: bool) -> None:
        if touching is None or a in touching or b in touching:
            pair = (a, b) if a < b else (b, a)
            if strong:
                pairs[pair] = True
            else:
                pairs.setdefault(pair, False)

    for key, members in blocks.items():
        at = given.get(key)
        if not 2 <= len(members) <= MAX_KEY or (touching is not None and touching.isdisjoint(members)):
            continue
        strong = key.startswith(_STRONG_KEYS)
        reach = len(members) if len(members) <= MAX_BLOCK else WINDOW
        seeking = seekers.get(key)
        if seeking is None:
            if key.startswith(ONE_SIDED):
                continue  # nobody seeks on it: nothing to pair
            if at is not None:  # given in part: only the pairs of `touching`, from their places
                for i in at:
                    for b in [*members[max(0, i - reach) : i], *members[i + 1 : i + 1 + reach]]:
                        add(members[i], b, strong)
                continue
            for i, a in enumerate(members):
                for b in members[i + 1 : i + 1 + reach]:
                    add(a, b, strong)
        else:
            spots: Iterable[int] = range(len(members))
            if at is not None:  # given in part: only a seeker near a signal of `touching` can pair with it
                spots = sorted({j for i in at for j in range(max(0, i - reach), min(len(members), i + reach + 1))})
            for i in spots:
                a = members[i]
                if a in seeking:
                    others = [*members[max(0, i - reach) : i], *members[i + 1 : i + 1 + reach]]
                    if at is not None and touching is not None and a not in touching and touching.isdisjoint(others):
                        continue  # no pair to add, and only the neighbours of `touching` are given
                    if len({place[b] for b in others if b not in seeking}) > 1:
                        # the same address or name in two municipalities: a guess
                        others = [b for b in others if b in seeking]
                        if unsure is not None:
                            unsure.add(a)
                    for b in others:
                        add(a, b, strong)
    return pairs
