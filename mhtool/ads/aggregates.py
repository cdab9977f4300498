"""Who uses which phone, photo and place: kept up to date at import.

Scoring a week needs, for the phones and photos of that week's ads, every
other ad that used them under which name and place; and per ad, the places
it was seen in. Reading that from the observations means reading the whole
history (a year is ~1.5 million observations). These tables hold one row
per distinct (phone, ad, name, place), (photo, ad, name, phones) and (ad,
place), with the last day it was seen, so a week reads only the rows of its
own phones, photos and ads, however long the history. `mhtool purge` drops
the rows last seen before its date, with the observations they came from.

Names and places are stored folded (`evidence.name_key`, `evidence.place_key`),
phones as E.164 (valid or not).
"""

from __future__ import annotations

from mhtool.ads.evidence import name_key, place_key

_UPSERT = " ON CONFLICT DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)"


class Uses:
    """Sightings' uses gathered for one write: an import writes them per
    batch of rows (three statements for the batch, not three per row)."""

    def __init__(self) -> None:
        self.phones: list[tuple] = []
        self.photos: list[tuple] = []
        self.places: list[tuple] = []

    def add(
        self, ad: int, seen_on: str, name: str | None, place: str | None, phones: list[str], photos: list[str]
    ) -> None:
        """One sighting of an ad (phones: parsed E.164 numbers)."""
        who, where = name_key(name), place_key(place)
        numbers = sorted(set(phones))
        self.phones.extend((e164, ad, who, where, seen_on) for e164 in numbers)
        joined = ";".join(numbers)
        self.photos.extend((digest, ad, who, joined, seen_on) for digest in photos)
        if where:
            self.places.append((ad, where, seen_on))

    def write(self, conn) -> None:
        # in key order: the upserts then walk each index once
        for sql, rows in (
            ("INSERT INTO ad_phone_uses (e164, ad, name, place, last_seen) VALUES (?, ?, ?, ?, ?)", self.phones),
            ("INSERT INTO ad_photo_uses (hash, ad, name, phones, last_seen) VALUES (?, ?, ?, ?, ?)", self.photos),
            ("INSERT INTO ad_place_uses (ad, place, last_seen) VALUES (?, ?, ?)", self.places),
        ):
            if rows:
                conn.executemany(sql + _UPSERT, sorted(rows))
            rows.clear()


def record(
    conn, ad: int, seen_on: str, name: str | None, place: str | None, phones: list[str], photos: list[str]
) -> None:
    """Add one sighting of an ad (phones: parsed E.164 numbers)."""
    uses = Uses()
    uses.add(ad, seen_on, name, place, phones, photos)
    uses.write(conn)


def backfill_if_owed(conn) -> None:
    """Fill the tables once for the observations stored before they existed:
    the migration that added them left a note in `backfills` (the store
    cannot compute them itself). Inside the caller's transaction."""
    if conn.execute("SELECT 1 FROM backfills WHERE name = 'ad_uses'").fetchone():
        backfill(conn)
        conn.execute("DELETE FROM backfills WHERE name = 'ad_uses'")


def backfill(conn) -> None:
    """Fill the tables from the stored observations."""
    phones: dict[int, list[str]] = {}
    for observation, e164 in conn.execute("SELECT observation, e164 FROM ad_phones WHERE e164 IS NOT NULL"):
        phones.setdefault(observation, []).append(e164)
    photos: dict[int, list[str]] = {}
    for observation, digest in conn.execute("SELECT observation, hash FROM ad_photos"):
        photos.setdefault(observation, []).append(digest)
    rows = conn.execute(
        "SELECT o.id, o.ad, max(s.seen_on), o.name, o.place FROM ad_observations o "
        "JOIN ad_sightings s ON s.observation = o.id GROUP BY o.id"
    ).fetchall()
    uses = Uses()
    for observation, ad, seen_on, name, place in rows:
        uses.add(ad, seen_on, name, place, phones.get(observation, []), photos.get(observation, []))
    uses.write(conn)
