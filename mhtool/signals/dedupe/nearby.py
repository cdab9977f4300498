"""The candidate pairs of some signals, as a full run finds them, from the
stored keys and only the profiles they need (after an import, and when
situations are grouped again: run.py).

Every block the signals touch is given to candidate_pairs as its whole
order (blockreader.py, `among`), so a block larger than `MAX_BLOCK` pairs
date neighbours only and one of more than `MAX_KEY` none, as in a full
run. Of the other members only those that can be in a pair are read in
full (to be scored); on a one-sided key the rest matter only by their date
and municipality (whether a seeker's neighbours are in more than one
municipality), and are read as no more than that (`_listeners`).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from mhtool.region.municipalities import UNKNOWN
from mhtool.signals.dedupe import shifted
from mhtool.signals.dedupe.blocking import ONE_SIDED, Order, Pair, candidate_pairs
from mhtool.signals.dedupe.blockreader import BlockReader, read_of
from mhtool.signals.dedupe.matchkeys import SEEKS, Profile, blocking_keys

Entries = dict[int, tuple[Profile, list[str]]]  # id -> profile and its blocking keys


def pairs_of_new(
    conn, new: set[int], also: frozenset[int] = frozenset()
) -> tuple[dict[int, Profile], dict[int, int], dict[Pair, bool], set[int]]:
    """For the new signals: the profiles read in full (theirs and those of
    every signal they can pair with), those signals' situations, the
    candidate pairs of the new signals, and the old signals to group again:
    seekers that a new signal makes unsure (blocking.candidate_pairs) and
    linked signals it pushes apart (shifted.py). The candidate pairs of the
    seekers a new signal frees (shifted.py) are among the pairs. `also`:
    old signals whose candidate pairs are wanted as well (with `new` empty:
    how the freed seekers' pairs are found)."""
    from mhtool.signals.dedupe.run import load_profiles

    touching = set(new) | also
    profiles, situation = load_profiles(conn, ids=touching)
    entries: Entries = {i: (p, blocking_keys(p)) for i, p in profiles.items()}
    reader = BlockReader(conn, None)
    _, passed_over, orders = reader.read(_keys(entries), among=True)
    sought = {key[1:] for _, keys in entries.values() for key in keys if key[0] == SEEKS}
    full: set[int] = set()
    listening: dict[int, list[str]] = defaultdict(list)
    for key, (order, at) in orders.items():
        near = read_of(key, order, at) - profiles.keys()
        if key.startswith(ONE_SIDED) and key not in sought:  # a new signal pairs only with a seeker here
            for i in near:
                listening[i].append(key)
        else:
            full |= near
    listeners = _listeners(conn, reader.days, {i: keys for i, keys in listening.items() if i not in full})
    full |= {i for i, (p, _) in listeners.items() if p.gemeente == UNKNOWN}  # seekers: they pair
    more, more_situation = load_profiles(conn, ids=full)
    profiles.update(more)
    situation.update(more_situation)
    entries.update((i, entry) for i, entry in listeners.items() if i not in full)
    entries.update((i, (p, blocking_keys(p))) for i, p in more.items())
    unsure: set[int] = set()
    pairs = candidate_pairs(
        [p for p, _ in entries.values()], touching & profiles.keys(), unsure, passed_over, _keys_of(entries), orders
    )
    pushed = _pushed_apart(conn, orders, reader.crossed, new)
    if pushed - profiles.keys():  # read beyond the new signals' neighbours: their situations are needed
        more, more_situation = load_profiles(conn, ids=pushed - profiles.keys())
        profiles.update(more)
        situation.update(more_situation)
    freed = shifted.freed_seekers(orders, new, lambda ids: _municipalities(conn, entries, ids))
    if freed:  # their pairs, from their own blocks: none of those is new
        more, more_situation, more_pairs, more_unsure = pairs_of_new(conn, set(), frozenset(freed))
        profiles.update(more)
        situation.update(more_situation)
        unsure |= more_unsure
        for pair, strong in more_pairs.items():
            pairs[pair] = pairs.get(pair, False) or strong
    return profiles, situation, pairs, unsure | pushed


def _pushed_apart(conn, orders: dict[str, Order], crossed: dict[str, list[int]], new: set[int]) -> set[int]:
    """The old signals of links that the new signals leave unpaired, or
    paired only on a key that is not a strong one (shifted.py): their
    situations are grouped again. The links: those stored, and the pairs of
    one group that the stricter grouping split (components.py), which are not."""
    from mhtool.signals.dedupe.run import load_profiles

    near = shifted.near_insertions(orders, crossed, new) if new else {}
    if not near:
        return set()
    ids = json.dumps(sorted(near))
    # by a alone: with `b IN` as well SQLite looks up every (a, b) of the two lists
    found = conn.execute("SELECT a, b FROM signal_matches WHERE a IN (SELECT value FROM json_each(?))", (ids,))
    links = {(a, b) for a, b in found if b in near}
    group = conn.execute(
        "SELECT s.id, c.component_id FROM signals s JOIN situation_components c ON c.situation_id = s.situation_id "
        "WHERE s.id IN (SELECT value FROM json_each(?))",
        (ids,),
    )
    links |= shifted.split_pairs(near, dict(group.fetchall()))
    pushed = shifted.pushed_apart(links, near, orders, new)
    if not pushed:
        return set()
    ends = {i for pair in pushed for i in pair}
    kept = pairs_within(conn, load_profiles(conn, ids=ends)[0], ends)
    # paired only weakly now, a pair may not be scored at all (evidence.could_link)
    return {i for pair in pushed if not kept.get(pair) for i in pair}


def pairs_within(conn, profiles: dict[int, Profile], scope: set[int]) -> dict[Pair, bool]:
    """The candidate pairs of two signals of `scope` that a full run finds.
    Not those of the scope's profiles alone: of a block larger than
    `MAX_BLOCK` a full run pairs only neighbours in the whole block's date
    order, which the scope's members of it need not be; nor does one that
    more than `MAX_KEY` signals share pair any. Of the other signals only
    what a one-sided key needs is read. Needs the stored keys (keys.py)."""
    entries: Entries = {i: (profiles[i], blocking_keys(profiles[i])) for i in scope}
    # a pair on a one-sided key has a signal that seeks on it: in the scope
    sought = {key[1:] for _, keys in entries.values() for key in keys if key[0] == SEEKS}
    wanted = {
        i: {key for key in keys if key in sought or not key.startswith(ONE_SIDED)} for i, keys in _keys(entries).items()
    }
    # and a key that one signal of the scope holds pairs none of the scope
    holders = Counter(key for keys in wanted.values() for key in keys)
    wanted = {i: {key for key in keys if holders[key] > 1} for i, keys in wanted.items()}
    reader = BlockReader(conn, None)
    _, passed_over, orders = reader.read(wanted, among=True)
    listening: dict[int, list[str]] = defaultdict(list)
    for key, (order, at) in orders.items():
        if key.startswith(ONE_SIDED):
            for i in read_of(key, order, at) - scope:
                listening[i].append(key)
    entries.update(_listeners(conn, reader.days, listening))
    found = candidate_pairs([p for p, _ in entries.values()], scope, None, passed_over, _keys_of(entries), orders)
    return {(a, b): strong for (a, b), strong in found.items() if a in scope and b in scope}


def _municipalities(conn, entries: Entries, ids: set[int]) -> dict[int, str]:
    found = {i: entries[i][0].gemeente for i in ids if i in entries}
    missing = json.dumps(sorted(ids - found.keys()))
    found.update(
        conn.execute("SELECT id, gemeente FROM signals WHERE id IN (SELECT value FROM json_each(?))", (missing,))
    )
    return found


def _keys(entries: Entries) -> dict[int, set[str]]:
    return {i: {key.lstrip(SEEKS) for key in keys} for i, (_, keys) in entries.items()}


def _keys_of(entries: Entries):
    return lambda p: entries[p.id][1]


def _listeners(conn, days, keys: dict[int, list[str]]) -> Entries:
    """Signals read only for their one-sided `keys`: as profiles with only
    their date and municipality, and those keys (sought if the municipality
    is not known)."""
    place = dict(
        conn.execute(
            "SELECT id, gemeente FROM signals WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(keys)),)
        )
    )
    # The date of a member of a small block is not read (the order of such a
    # block does not count), and a listener's date is not used: its keys are
    # all given by their orders.
    return {
        i: (
            Profile(i, days.get(i, 0), place[i], "", "", ""),
            [SEEKS + key if place[i] == UNKNOWN else key for key in mine],
        )
        for i, mine in keys.items()
    }
