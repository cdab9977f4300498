"""Blocking keys stored with the signals, so that an incremental dedupe reads
only the blocks its new signals touch.

Every signal's blocking keys (matchkeys.blocking_keys: phone, near-phone
masks, address, name keys, plate, link, account, and the one-sided keys
without their leading '?') are stored as 64-bit hashes in `signal_keys`
when the signal is stored, in the same transaction. They go with it: a
purged signal's keys are deleted with it (store/maintenance.py purge), a
restored database is migrated (and filled) like any other, and a signal is
never changed after it is stored (a conflicting re-import is rejected).

A hash only *finds* the signals of a block: the dedupe computes the keys of
the signals it loads again and blocks on those, so that two keys with one
hash (at 64 bits, not in this world) would cost a profile read, never a
different result.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Container, Iterable
from itertools import groupby
from operator import itemgetter

from mhtool.signals.dedupe.matchkeys import SEEKS, Profile, blocking_keys, frozen, make_profile

# No foreign key: its cascade would need a second index, which cost a
# quarter of an import's time; a purge deletes the keys itself
# (store/maintenance.py), and a key of a signal that is gone only ever
# finds nothing. The table: store/schema/later.py, m009_signal_keys.
INDEXES = ("signal_keys_hash",)
# What make_profile reads from a stored or a new signal.
PROFILE_FIELDS = ("reported_on", "gemeente", "type", "type_origin", "address", "persons", "vehicle", "url", "text")


def key_hash(key: str) -> int:
    """Stable across processes and machines (Python's hash() is not)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def profile_hashes(profile: Profile) -> list[int]:
    return sorted({key_hash(key.lstrip(SEEKS)) for key in blocking_keys(profile)})


INSERT_KEY = "INSERT INTO signal_keys (signal_id, hash) VALUES (?, ?)"


def record_hashes(fields: dict, phones) -> list[int]:
    """The key hashes of a signal not yet stored: its PROFILE_FIELDS (a
    normalise_signal record will do) and its phones as (raw, e164, valid)."""
    valid = frozen({e164 for _, e164, ok in phones or () if ok and e164})
    return profile_hashes(make_profile({"id": 0, **{name: fields[name] for name in PROFILE_FIELDS}}, valid))


def keys_owed(conn: sqlite3.Connection) -> bool:
    """Whether the migration that added the table left the keys of the
    signals stored before it to compute (a note in `backfills`: the store
    knows no dedupe, so it cannot compute them itself)."""
    return conn.execute("SELECT 1 FROM backfills WHERE name = 'signal_keys'").fetchone() is not None


def fill_keys_if_owed(conn: sqlite3.Connection) -> None:
    """Keys for every stored signal, once, if `keys_owed`. Runs inside the caller's transaction."""
    if not keys_owed(conn):
        return
    fill_keys(conn)
    conn.execute("DELETE FROM backfills WHERE name = 'signal_keys'")


FILL_CHUNK = 8192


def fill_keys(conn: sqlite3.Connection) -> None:
    """Keys for every stored signal (those stored since the note was left
    have theirs already: they are made again, not doubled), `FILL_CHUNK`
    signals at a time."""
    conn.execute("DELETE FROM signal_keys")
    from mhtool.signals.dedupe.run import load_profiles

    ids = [i for (i,) in conn.execute("SELECT id FROM signals ORDER BY id")]
    for start in range(0, len(ids), FILL_CHUNK):
        profiles, _ = load_profiles(conn, ids=ids[start : start + FILL_CHUNK])
        conn.executemany(INSERT_KEY, ((p.id, h) for p in profiles.values() for h in profile_hashes(p)))


def block_members(
    conn: sqlite3.Connection,
    keys: Iterable[str],
    max_key: int,
    around: Container[int] | None = None,
    max_block: int = 0,
    reach: Callable[[str], int] = lambda key: 0,
) -> tuple[set[int], set[str], dict[str, list[int]]]:
    """The signals that have any of `keys`, the keys passed over because
    more than `max_key` signals have them (blocking.MAX_KEY), and `orders`.

    With `around` (the signals whose pairs are wanted): of a block of more
    than `max_block` signals, which pairs only neighbours in (date, id)
    order (blocking.MAX_BLOCK, WINDOW), only the members within
    `reach(key)` places of a signal in `around` are returned, and the
    block's whole order (its ids by date and id) in `orders`, by key, so
    that candidate_pairs pairs exactly as if it had every member."""
    by_hash: dict[int, list[str]] = {}
    for key in set(keys):
        by_hash.setdefault(key_hash(key), []).append(key)
    counts = conn.execute(
        "SELECT hash, count(*) FROM signal_keys WHERE hash IN (SELECT value FROM json_each(?)) GROUP BY hash",
        (json.dumps(sorted(by_hash)),),
    ).fetchall()
    common = {h for h, n in counts if n > max_key}
    large = {h for h, n in counts if max_block < n <= max_key} if around is not None else set()
    passed_over = {key for h in common for key in by_hash[h]}
    members = {
        i
        for (i,) in conn.execute(
            "SELECT DISTINCT signal_id FROM signal_keys WHERE hash IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(by_hash) - common - large)),),
        )
    }
    orders: dict[str, list[int]] = {}
    if large:
        assert around is not None
        rows = conn.execute(
            "SELECT k.hash, k.signal_id FROM signal_keys k JOIN signals s ON s.id = k.signal_id "
            "WHERE k.hash IN (SELECT value FROM json_each(?)) ORDER BY k.hash, substr(s.reported_on, 1, 10), k.signal_id",
            (json.dumps(sorted(large)),),
        ).fetchall()
        for h, group in groupby(rows, key=itemgetter(0)):
            block = [i for _, i in group]
            for key in by_hash[h]:
                orders[key] = block
                r = reach(key)
                for at, i in enumerate(block):
                    if i in around:
                        members.update(block[max(0, at - r) : at + r + 1])
    return members, passed_over, orders
