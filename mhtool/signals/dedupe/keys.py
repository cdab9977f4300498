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
import sqlite3

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
