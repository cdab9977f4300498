"""Blocking keys stored with the signals, so that an incremental dedupe reads
only the blocks its new signals touch.

Every signal's blocking keys (matchkeys.blocking_keys: phone, near-phone
masks, address, name keys, plate, link, account, and the one-sided keys
without their leading '?') are stored as 64-bit hashes in `signal_keys`
when the signal is stored, in the same transaction. They go with it: a
purged signal's keys are deleted by the foreign key (ON DELETE CASCADE), a
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
from typing import Iterable

from mhtool.signals.dedupe.matchkeys import SEEKS, Profile, blocking_keys, frozen, make_profile

INDEXES = ("signal_keys_hash", "signal_keys_signal")
# What make_profile reads from a stored or a new signal.
PROFILE_FIELDS = ("reported_on", "gemeente", "type", "type_origin", "address", "persons", "vehicle", "url", "text")


def key_hash(key: str) -> int:
    """Stable across processes and machines (Python's hash() is not)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def profile_hashes(profile: Profile) -> list[int]:
    return sorted({key_hash(key.lstrip(SEEKS)) for key in blocking_keys(profile)})


def store_keys(conn: sqlite3.Connection, rows: Iterable[tuple[int, dict, Iterable[str]]]) -> None:
    """(signal id, its PROFILE_FIELDS, its valid E.164 phones) for new signals."""
    out = []
    for signal_id, fields, phones in rows:
        profile = make_profile({"id": signal_id, **fields}, frozen(set(phones)))
        out.extend((signal_id, h) for h in profile_hashes(profile))
    conn.executemany("INSERT INTO signal_keys (signal_id, hash) VALUES (?, ?)", out)


def fill_keys_if_owed(conn: sqlite3.Connection) -> None:
    """Keys for every stored signal, once: the migration that added the table
    left a note in `backfills` (the store knows no dedupe, so it cannot
    compute them itself). Runs inside the caller's transaction."""
    if not conn.execute("SELECT 1 FROM backfills WHERE name = 'signal_keys'").fetchone():
        return
    fill_keys(conn)
    conn.execute("DELETE FROM backfills WHERE name = 'signal_keys'")


def fill_keys(conn: sqlite3.Connection) -> None:
    """Keys for every stored signal (those stored since the note was left
    have theirs already: they are made again, not doubled)."""
    conn.execute("DELETE FROM signal_keys")
    from mhtool.signals.dedupe.run import load_profiles

    profiles, _ = load_profiles(conn)
    conn.executemany("INSERT INTO signal_keys (signal_id, hash) VALUES (?, ?)",
                     ((p.id, h) for p in profiles.values() for h in profile_hashes(p)))


def block_members(conn: sqlite3.Connection, keys: Iterable[str], max_key: int) -> tuple[set[int], set[str]]:
    """The signals that have any of `keys`, and the keys passed over because
    more than `max_key` signals have them (blocking.MAX_KEY)."""
    by_hash: dict[int, list[str]] = {}
    for key in set(keys):
        by_hash.setdefault(key_hash(key), []).append(key)
    wanted = json.dumps(sorted(by_hash))
    counts = conn.execute(
        "SELECT hash, count(*) FROM signal_keys WHERE hash IN (SELECT value FROM json_each(?)) GROUP BY hash",
        (wanted,)).fetchall()
    common = {h for h, n in counts if n > max_key}
    passed_over = {key for h in common for key in by_hash[h]}
    members = {i for (i,) in conn.execute(
        "SELECT DISTINCT signal_id FROM signal_keys WHERE hash IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(by_hash) - common)),))}
    return members, passed_over
