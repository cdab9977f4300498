"""What the rest of the database says about the ads being scored.

Evidence that needs other ads (shared phones, photos and texts, the median
price, phones in signals) is gathered once for all ads being scored, with
set-based queries, so a week of ads scores in one pass. For a period
(`ads score`), texts and prices are compared among the period's ads.

Names and places are compared folded, each one way: a name by
:func:`name_key`, a place by :func:`mhtool.region.normalise_place` (the one
folding the region uses, so 's-Graveland and s Graveland are one place).
Who used which phone, photo and place comes from the tables that
`mhtool.ads.aggregates` keeps at import, so a week reads only its own rows.
Phone numbers are compared as parsed numbers (E.164), whether or not the
number is in an allocated range: a number repeated across ads is evidence
whatever its range.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from mhtool.ads.indicators import Evidence
from mhtool.ads.rules import Rules
from mhtool.parse.categories import fold
from mhtool.phonelinks import signal_refs_by_phone
from mhtool.region.municipalities import normalise_place

#: Prices of one unit needed before their median counts.
MIN_PRICES = 5


def chunked(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def name_key(name: str | None) -> str:
    return fold(name or "")


def place_key(place: str | None) -> str:
    return normalise_place(place)


def marks(items) -> str:
    return ", ".join("?" for _ in items)


def phones_of_observations(conn, observation_ids: list[int]) -> dict[int, frozenset[str]]:
    """Per observation: its parsed phone numbers (E.164, valid or not)."""
    found: dict[int, set[str]] = defaultdict(set)
    for ids in chunked(observation_ids):
        for observation, e164 in conn.execute(
            f"SELECT observation, e164 FROM ad_phones WHERE e164 IS NOT NULL AND observation IN ({marks(ids)})", ids
        ):
            found[observation].add(e164)
    return {k: frozenset(v) for k, v in found.items()}


class EvidenceBuilder:
    """What the whole database says about a set of observations."""

    def __init__(self, db, rules: Rules, *, texts_of_period: bool = False, shingles: Callable[[], dict] | None = None):
        self.conn = db.conn
        self.rules = rules
        self.shingles = shingles  # the shingles of the rows' texts, cut beforehand (textwork.py)
        # compare texts and prices among the scored ads only (the ads of one period)
        self.texts_of_period = texts_of_period

    def build(self, rows: list[dict[str, Any]]) -> dict[int, Evidence]:
        evidence = {
            row["ad"]: Evidence(
                ad=row["ad"],
                text=row["text"] or "",
                title=row["title"],
                age=row["age"],
                licence=row["licence"],
                price=row["price"],
                price_minutes=row.get("price_minutes"),
                nationality=row["nationality"],
            )
            for row in rows
        }
        if not rows:
            return evidence
        observation_ids = [row["observation"] for row in rows]
        ad_of = {row["observation"]: row["ad"] for row in rows}
        phones = phones_of_observations(self.conn, observation_ids)
        self._phones(evidence, phones, ad_of)
        self._photos(evidence, observation_ids, ad_of)
        self._texts(evidence, rows, phones)
        self._places(evidence)
        medians = self._median_prices(rows if self.texts_of_period else None)
        for item in evidence.values():
            item.median_prices = medians
        return evidence

    def _phones(self, evidence, phones_of_observation, ad_of) -> None:
        phones_of: dict[int, set[str]] = defaultdict(set)
        for observation, numbers in phones_of_observation.items():
            phones_of[ad_of[observation]] |= numbers
        all_phones = sorted({p for phones in phones_of.values() for p in phones})
        users: dict[str, dict[int, tuple[set, set]]] = defaultdict(dict)
        signals = signal_refs_by_phone(self.conn, all_phones)
        for phones in chunked(all_phones):
            for e164, ad, name, place in self.conn.execute(
                f"SELECT e164, ad, name, place FROM ad_phone_uses WHERE e164 IN ({marks(phones)})", phones
            ):
                names, places = users[e164].setdefault(ad, (set(), set()))
                if name:
                    names.add(name)
                if place:
                    places.add(place)
        for ad, phones in phones_of.items():
            item = evidence[ad]
            ads, names, places, linked = set(), set(), set(), []
            for phone in sorted(phones):
                for other, (other_names, other_places) in users[phone].items():
                    ads.add(other)
                    names |= other_names
                    places |= other_places
                for signal in signals.get(phone, []):
                    if signal not in linked:
                        linked.append(signal)
            item.phone_ads = len(ads)
            item.phone_names = len(names)
            item.phone_places = len(places)
            item.signals = linked

    def _photos(self, evidence, observation_ids, ad_of) -> None:
        photos_of: dict[int, set[str]] = defaultdict(set)
        for ids in chunked(observation_ids):
            for observation, digest in self.conn.execute(
                f"SELECT observation, hash FROM ad_photos WHERE observation IN ({marks(ids)})", ids
            ):
                photos_of[ad_of[observation]].add(digest)
        all_hashes = sorted({h for hashes in photos_of.values() for h in hashes})
        holders: dict[str, list[tuple[int, str, frozenset[str]]]] = defaultdict(list)
        for hashes in chunked(all_hashes):
            for digest, ad, name, phones in self.conn.execute(
                f"SELECT hash, ad, name, phones FROM ad_photo_uses WHERE hash IN ({marks(hashes)})", hashes
            ):
                holders[digest].append((ad, name, frozenset(filter(None, phones.split(";")))))
        for ad, hashes in photos_of.items():
            mine = {(n, p) for h in hashes for a, n, p in holders[h] if a == ad}
            others = {
                a
                for h in hashes
                for a, n, p in holders[h]
                if a != ad and not any(_same_worker(n, p, *me) for me in mine)
            }
            evidence[ad].photo_others = len(others)

    def _texts(self, evidence, rows, phones_of_observation) -> None:
        from mhtool.ads.textcorpus import text_shares

        shares = text_shares(
            self.conn,
            rows,
            phones_of_observation,
            self.rules,
            others=not self.texts_of_period,
            shingles=self.shingles() if self.shingles else None,
        )
        for ad, share in shares.items():
            evidence[ad].text_ads = share.ads
            evidence[ad].text_names = share.names

    def _places(self, evidence) -> None:
        for ids in chunked(list(evidence)):
            for ad, places in self.conn.execute(
                f"SELECT ad, count(*) FROM ad_place_uses WHERE ad IN ({marks(ids)}) GROUP BY ad", ids
            ):
                evidence[ad].ad_places = places

    def _median_prices(self, rows: list[dict[str, Any]] | None) -> dict[int, float]:
        """Median price per unit (minutes; an unmarked price is per hour): of
        the ads being scored for a period (the market of that week), else of
        the latest observation of every ad."""
        found = (
            ((row["price"], row.get("price_minutes") or 60) for row in rows)
            if rows is not None
            else self.conn.execute(
                "SELECT o.price, coalesce(o.price_minutes, 60) FROM ads a "
                "JOIN ad_observations o ON o.id = a.latest_observation_id"
            )
        )
        prices: dict[int, list[int]] = defaultdict(list)
        for price, minutes in found:
            if price is not None and price > 0:
                prices[minutes].append(price)
        return {minutes: statistics.median(values) for minutes, values in prices.items() if len(values) >= MIN_PRICES}


def _same_worker(name: str, phones: frozenset[str], my_name: str, my_phones: frozenset[str]) -> bool:
    """Same name, and the same phone number (or neither has one)."""
    return name == my_name and (bool(phones & my_phones) or (not phones and not my_phones))
