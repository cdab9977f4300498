"""What new signals change between old signals of the blocks they join
(after an import: nearby.py pairs_of_new).

A block of more than `MAX_BLOCK` signals pairs only neighbours within
`WINDOW` places in date order, and one of more than `MAX_KEY` none
(blocking.py). A new signal that lands between two old ones pushes them
apart, and one that makes a block larger than either limit cuts pairs
too: two old signals a full run would no longer pair may still be linked.
Those links are found here (`pushed_apart`), checked against every key
the two share (nearby.py pairs_within), and their situations are grouped
again.

On a one-sided key an old signal that seeks on it may also gain pairs: it
pairs with all its neighbours only while they are in one municipality, and
a new signal can push the only neighbour from another one out of its
window (`freed_seekers`). Those seekers are paired again like new signals.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations

from mhtool.region.municipalities import UNKNOWN
from mhtool.signals.dedupe import blocking
from mhtool.signals.dedupe.blocking import ONE_SIDED, Order, Pair

Near = dict[int, dict[str, int | None]]  # old id -> key -> its place in that block's order (None: anywhere)


def _inserted(order: Sequence[int], at: list[int], new: set[int]) -> list[int]:
    return sorted(p for p in at if order[p] in new)


def near_insertions(orders: dict[str, Order], crossed: dict[str, list[int]], new: set[int]) -> Near:
    """The old members of each touched block that a new signal can have
    pushed apart from another: near a new signal in a large block, every
    member of a block that has just become large, and every member of one
    that has just become too common to pair (`crossed`: by key, its ids)."""
    near: Near = defaultdict(dict)
    reach = blocking.WINDOW
    for key, (order, at) in orders.items():
        inserted = _inserted(order, at, new)
        old = len(order) - len(inserted)
        if len(order) <= blocking.MAX_BLOCK or old < 2 or not inserted:
            continue  # every pair of a small block stays; a new signal only adds pairs
        if old <= blocking.MAX_BLOCK:
            spots: range | set[int] = range(len(order))
        else:  # two old signals with a new one between them, at most `reach` old ones apart
            spots = _around(inserted, reach + len(inserted), len(order))
        for s in spots:
            if order[s] not in new:
                near[order[s]][key] = s
    for key, ids in crossed.items():
        for i in ids:
            if i not in new:
                near[i][key] = None
    return near


def split_pairs(near: Near, group: dict[int, int]) -> set[Pair]:
    """The pairs of old signals near the new ones in one block that belong
    to one group of linked signals split into several situations (`group`:
    a signal's group, components.py); such a link is not stored."""
    members: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, places in near.items():
        if i in group:
            for key in places:
                members[key, group[i]].append(i)
    return {(a, b) if a < b else (b, a) for ids in members.values() for a, b in combinations(ids, 2)}


def pushed_apart(links: set[Pair], near: Near, orders: dict[str, Order], new: set[int]) -> set[Pair]:
    """Of the links between two old signals (stored, or within a split
    group: `split_pairs`), those that some touched block paired before the
    new signals came and does not now."""
    inserted = {key: _inserted(order, at, new) for key, (order, at) in orders.items()}
    found = set()
    for a, b in links:
        places_b = near.get(b, {})
        for key, pa in near.get(a, {}).items():
            if key not in places_b:
                continue
            pb = places_b[key]
            if pa is None or pb is None or _cut(pa, pb, orders[key][0], inserted[key]):
                found.add((a, b))
                break
    return found


def _cut(pa: int, pb: int, order: Sequence[int], inserted: list[int]) -> bool:
    """Whether the block paired the two at these places before the insertions and does not now."""
    lo, hi = sorted((pa, pb))
    apart = hi - lo
    before = apart - (bisect_left(inserted, hi) - bisect_left(inserted, lo))
    old_size = len(order) - len(inserted)
    paired_before = old_size <= blocking.MAX_BLOCK or before <= blocking.WINDOW
    return paired_before and not (len(order) <= blocking.MAX_BLOCK or apart <= blocking.WINDOW)


def freed_seekers(orders: dict[str, Order], new: set[int], places: Callable[[set[int]], dict[int, str]]) -> set[int]:
    """Old signals seeking on a one-sided key whose neighbours there were in
    more than one municipality before the new signals came, and are in one
    now. `places`: the municipality of each of the ids given."""
    reach = blocking.WINDOW
    windows: list[tuple[int, Sequence[int], Sequence[int]]] = []  # seeker, neighbours before, after
    for key, (order, at) in orders.items():
        inserted = _inserted(order, at, new)
        if not key.startswith(ONE_SIDED) or len(order) <= blocking.MAX_BLOCK or not inserted:
            continue
        # a block that was small: every old member was a neighbour
        everyone = [i for i in order if i not in new] if len(order) - len(inserted) <= blocking.MAX_BLOCK else None
        span = reach + len(inserted)
        # a seeker further than `reach` from every new signal has the same
        # neighbours as before, unless the block was small and all were
        for s in range(len(order)) if everyone is not None else _around(inserted, reach, len(order)):
            if order[s] in new:
                continue
            if everyone is not None:
                before: Sequence[int] = everyone
            else:
                olds = [i for i in order[max(0, s - span) : s + span + 1] if i not in new]
                k = olds.index(order[s])
                before = olds[max(0, k - reach) : k + reach + 1]
            windows.append((order[s], before, order[max(0, s - reach) : s + reach + 1]))
    if not windows:
        return set()
    where = places({i for _, before, after in windows for i in (*before, *after)})
    freed = set()
    for seeker, before, after in windows:
        if where[seeker] == UNKNOWN and len(_places(before, seeker, where)) > 1 >= len(_places(after, seeker, where)):
            freed.add(seeker)
    return freed


def _around(places: list[int], reach: int, size: int) -> set[int]:
    return {s for p in places for s in range(max(0, p - reach), min(size, p + reach + 1))}


def _places(members: Sequence[int], seeker: int, where: dict[int, str]) -> set[str]:
    return {where[i] for i in members if i != seeker and where[i] != UNKNOWN}
