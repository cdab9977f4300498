"""The blocks a streamed chunk (stream.py), or the new signals of an import
(run.py), touch, read from the stored keys.

For each chunk the stored blocking keys (`signal_keys`, keys.py) give the
other members of its blocks. A block of more than `MAX_BLOCK` signals pairs
only neighbours in (date, id) order (blocking.py); of such a block only
the members within `WINDOW` places of a chunk's own signal are read (twice
that on a one-sided key: a signal that seeks on it looks at its neighbours'
municipalities too), and candidate_pairs is given the block's whole order
and the places of the chunk's signals in it, so that it pairs exactly as
with every member. The order of a large block is kept between chunks (a
name or a municipality's key recurs in many chunks), up to `HELD` ids;
the dates it is sorted by are read once, 4 bytes a signal.

A hash only finds a block's members: candidate_pairs blocks on the keys of
the profiles read. Only the order of a large block comes from the hash
alone, so two keys with one hash (at 64 bits, not in this world) could
shift a window there, nothing else.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Sequence

from mhtool.signals.dedupe import blocking
from mhtool.signals.dedupe.blocking import ONE_SIDED, Order
from mhtool.signals.dedupe.keys import key_hash

# A signal's date as datetime.date.toordinal() gives it (0001-01-01 is day 1),
# computed by SQLite: parsing a million dates in Python took 2 s.
_ORDINAL = "CAST(julianday(substr(reported_on, 1, 10)) - 1721424.5 AS INTEGER)"
HELD = 2_000_000  # ids of large blocks kept in order between chunks, 8 bytes each


def read_of(key: str, order: Sequence[int], at: list[int]) -> set[int]:
    """The members of a block given as its order that are read: those within
    `WINDOW` places of the signals at `at` (twice that on a one-sided key:
    a seeker near them looks at its own neighbours), or all of a block of
    up to `MAX_BLOCK` (its signals all pair)."""
    if len(order) <= blocking.MAX_BLOCK:
        return set(order)
    reach = 2 * blocking.WINDOW if key.startswith(ONE_SIDED) else blocking.WINDOW
    return {i for p in at for i in order[max(0, p - reach) : p + reach + 1]}


class BlockReader:
    def __init__(self, conn: sqlite3.Connection, last: int | None, held: int | None = None):
        """`last`: the dates of every signal up to that id are read at once
        (a full run meets most of them); None: those of the members of a
        large block when it is met (after an import, which meets few)."""
        self.conn, self.held, self.size = conn, held or HELD, 0
        self.days: array | dict[int, int] = {}  # date ordinal of each signal id
        if last is not None:
            self.days = array("i", bytes(4 * (last + 1)))
            for i, day in conn.execute(f"SELECT id, {_ORDINAL} FROM signals WHERE id <= ?", (last,)):
                self.days[i] = day
        self.large: OrderedDict[int, array] = OrderedDict()  # by hash: the members in (date, id) order
        self.common: set[int] = set()  # hashes of more than MAX_KEY signals
        # by key: the members of a block that the given signals have just
        # made too common to pair (read with `among`: shifted.py)
        self.crossed: dict[str, list[int]] = {}

    def read(self, keys_of: dict[int, set[str]], among: bool = False) -> tuple[set[int], set[str], dict[str, Order]]:
        """For the chunk's signals (id -> the keys to read, without the
        leading '?'): the members of their blocks to read, the keys passed
        over (more than `MAX_KEY` signals), and of each large block touched
        its order and the places of the chunk's signals in it. `among`:
        only the pairs of two of the given signals are wanted (nearby.py
        pairs_within): every block is given as its order, whatever its
        size, and only the members a one-sided key needs are read."""
        by_hash: dict[int, list[str]] = defaultdict(list)
        holders: dict[int, list[int]] = defaultdict(list)
        hashes: dict[str, int] = {}
        for i, keys in keys_of.items():
            for key in keys:
                h = hashes.get(key)
                if h is None:
                    h = hashes[key] = key_hash(key)
                    by_hash[h].append(key)
                holders[h].append(i)
        members: set[int] = set()
        found: dict[int, list[int]] = {}
        large: dict[int, array] = {}  # the large blocks of this chunk
        for h in by_hash.keys() & self.large.keys():
            self.large.move_to_end(h)
            large[h] = self.large[h]
        unknown = [h for h in by_hash if h not in large and h not in self.common]
        # one row a block, its members joined by SQLite: half the time of a row a member
        for h, ids in self.conn.execute(
            "SELECT hash, group_concat(signal_id) FROM signal_keys WHERE hash IN (SELECT value FROM json_each(?)) "
            "GROUP BY hash",
            (json.dumps(unknown),),
        ):
            found[h] = list(map(int, ids.split(",")))

        def ordered(h: int, ids: list[int]) -> bool:
            return (among or len(ids) > blocking.MAX_BLOCK) and len(ids) <= blocking.MAX_KEY

        if isinstance(self.days, dict):  # only a large block's order needs the dates
            self._read_days(
                [i for ids in found.values() if blocking.MAX_BLOCK < len(ids) <= blocking.MAX_KEY for i in ids]
            )
        for h, ids in found.items():
            if len(ids) > blocking.MAX_KEY:
                self.common.add(h)
                if among and len(ids) - len(set(holders[h])) <= blocking.MAX_KEY:
                    self.crossed.update((key, ids) for key in by_hash[h])
            elif ordered(h, ids):
                large[h] = self._keep(h, ids)
            else:
                members.update(ids)
        passed_over = {key for h in by_hash if h in self.common for key in by_hash[h]}
        orders: dict[str, Order] = {}
        for h, order in large.items():
            at = self._places(order, holders[h])
            for key in by_hash[h]:
                if not among or key.startswith(ONE_SIDED):
                    members.update(read_of(key, order, at))
                orders[key] = (order, at)
        return members, passed_over, orders

    def _places(self, order: array, signals: list[int]) -> list[int]:
        """Where `signals` are in a block's order (by date, or by id in a block
        of up to `MAX_BLOCK`, whose signals all pair)."""
        if len(order) <= blocking.MAX_BLOCK:
            return sorted(bisect_left(order, i) for i in signals)
        days = self.days

        def when(i: int) -> tuple[int, int]:
            return days[i], i

        return sorted(bisect_left(order, when(i), key=when) for i in signals)

    def _read_days(self, ids: list[int]) -> None:
        days = self.days
        assert isinstance(days, dict)  # read as met (see __init__)
        unknown = sorted({i for i in ids if i not in days})
        for start in range(0, len(unknown), 50_000):
            days.update(
                self.conn.execute(
                    f"SELECT id, {_ORDINAL} FROM signals WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(unknown[start : start + 50_000]),),
                )
            )

    def _keep(self, h: int, ids: list[int]) -> array:
        """The block's order, kept for the next chunks (the least recently used dropped)."""
        days = self.days
        by_date = len(ids) > blocking.MAX_BLOCK
        order = self.large[h] = array("q", sorted(ids, key=lambda i: (days[i], i)) if by_date else sorted(ids))
        self.size += len(order)
        while self.size > self.held and len(self.large) > 1:
            _, dropped = self.large.popitem(last=False)
            self.size -= len(dropped)
        return order
