"""`mhtool ads score`: which ads to score, the evidence about each, the score.

Evidence that needs the rest of the database (shared phones, photos and
texts, the median price, phones in signals) is gathered once for all ads
being scored, with set-based queries, so a week of ads scores in one pass.
"""

from __future__ import annotations

import datetime
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from mhtool import periods
from mhtool.ads.indicators import Evidence, Fired, evaluate
from mhtool.ads.rules import Rules
from mhtool.parse.categories import fold
from mhtool.periods import Period, parse_week
from mhtool.phonelinks import signal_refs_by_phone
from mhtool.region.municipalities import normalise_place
from mhtool.stamps import now_iso

SCORE_COLUMNS = [
    "site", "ad_id", "url", "name", "age", "phone", "place", "gemeente", "score", "risky",
    "indicators", "reasons", "first_seen", "last_seen", "new",
]


def week_period(week: str) -> Period:
    return parse_week(week)


def latest_week(db) -> Period | None:
    row = db.conn.execute("SELECT max(seen_on) FROM ad_observations").fetchone()
    if not row or not row[0]:
        return None
    return periods.week(datetime.date.fromisoformat(row[0]))


def stored_label(period: Period) -> str:
    """How a period is named in `ad_scores.period`: '2026-W48', 'since
    2026-11-01' or 'all'."""
    return "all" if period.kind == "all" else period.label


def _bounds(period: Period) -> tuple[str | None, str | None]:
    start = None if period.start == datetime.date.min else period.start.isoformat()
    end = None if period.end == datetime.date.max else period.end.isoformat()
    return start, end


@dataclass
class AdScore:
    ad: int
    observation: int
    row: dict[str, Any]
    fired: list[Fired] = field(default_factory=list)
    score: float = 0.0
    risky: bool = False


def _chunked(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _observations(db, period: Period, gemeente: str | None) -> list[dict[str, Any]]:
    """Per ad seen in the period: its latest observation within the period."""
    clauses, params = [], []
    start, end = _bounds(period)
    if start:
        clauses.append("o.seen_on >= ?")
        params.append(start)
    if end:
        clauses.append("o.seen_on <= ?")
        params.append(end)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = f"""
        WITH ranked AS (
            SELECT o.*, row_number() OVER (PARTITION BY o.ad ORDER BY o.seen_on DESC, o.id DESC) AS rank
            FROM ad_observations o{where}
        )
        SELECT r.id AS observation, r.ad, a.site, a.ad_id, r.url, r.name, r.age, r.phone, r.place,
               r.gemeente, r.text, r.title, r.licence, r.price, r.nationality, r.seen_on,
               a.first_seen, a.last_seen
        FROM ranked r JOIN ads a ON a.id = r.ad
        WHERE r.rank = 1
    """
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor]
    if gemeente:
        rows = [r for r in rows if fold(r["gemeente"] or "") == fold(gemeente)]
    return rows


def _name_key(name: str | None) -> str:
    return fold(name or "")


def _place_key(place: str | None) -> str:
    return fold(place or "")


class EvidenceBuilder:
    """What the whole database says about a set of observations."""

    def __init__(self, db):
        self.conn = db.conn

    def build(self, rows: list[dict[str, Any]]) -> dict[int, Evidence]:
        evidence = {
            row["ad"]: Evidence(
                ad=row["ad"], text=row["text"] or "", title=row["title"], age=row["age"],
                licence=row["licence"], price=row["price"], nationality=row["nationality"],
            )
            for row in rows
        }
        if not rows:
            return evidence
        observation_ids = [row["observation"] for row in rows]
        ad_of = {row["observation"]: row["ad"] for row in rows}
        self._phones(evidence, observation_ids, ad_of)
        self._photos(evidence, observation_ids, ad_of)
        self._texts(evidence)
        self._places(evidence)
        median = self._median_price()
        for item in evidence.values():
            item.median_price = median
        return evidence

    def _phones(self, evidence, observation_ids, ad_of) -> None:
        phones_of: dict[int, set[str]] = defaultdict(set)
        for ids in _chunked(observation_ids):
            marks = ", ".join("?" for _ in ids)
            for observation, e164 in self.conn.execute(
                f"SELECT observation, e164 FROM ad_phones WHERE valid = 1 AND observation IN ({marks})", ids
            ):
                phones_of[ad_of[observation]].add(e164)
        all_phones = sorted({p for phones in phones_of.values() for p in phones})
        users: dict[str, dict[int, tuple[set, set]]] = defaultdict(dict)
        signals = signal_refs_by_phone(self.conn, all_phones)
        for phones in _chunked(all_phones):
            marks = ", ".join("?" for _ in phones)
            for e164, ad, name, place in self.conn.execute(
                f"SELECT p.e164, o.ad, o.name, o.place FROM ad_phones p "
                f"JOIN ad_observations o ON o.id = p.observation WHERE p.e164 IN ({marks})",
                phones,
            ):
                names, places = users[e164].setdefault(ad, (set(), set()))
                if name:
                    names.add(_name_key(name))
                if place:
                    places.add(_place_key(place))
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
        for ids in _chunked(observation_ids):
            marks = ", ".join("?" for _ in ids)
            for observation, digest in self.conn.execute(
                f"SELECT observation, hash FROM ad_photos WHERE observation IN ({marks})", ids
            ):
                photos_of[ad_of[observation]].add(digest)
        all_hashes = sorted({h for hashes in photos_of.values() for h in hashes})
        holders: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for hashes in _chunked(all_hashes):
            marks = ", ".join("?" for _ in hashes)
            for digest, ad, name, phone in self.conn.execute(
                f"SELECT f.hash, o.ad, o.name, o.phone FROM ad_photos f "
                f"JOIN ad_observations o ON o.id = f.observation WHERE f.hash IN ({marks})",
                hashes,
            ):
                holders[digest].append((ad, _name_key(name), fold(phone or "")))
        for ad, hashes in photos_of.items():
            mine = {(n, p) for h in hashes for a, n, p in holders[h] if a == ad}
            others = {
                a for h in hashes for a, n, p in holders[h]
                if a != ad and all(n != my_name or p != my_phone for my_name, my_phone in mine)
            }
            evidence[ad].photo_others = len(others)

    def _texts(self, evidence) -> None:
        from mhtool.ads.similar import similar_text_groups

        latest = self.conn.execute(
            "SELECT a.id, o.text, o.name FROM ads a JOIN ad_observations o ON o.id = a.latest_observation_id"
        ).fetchall()
        names = {ad: _name_key(name) for ad, _, name in latest}
        groups = similar_text_groups((ad, text) for ad, text, _ in latest)
        for ad, item in evidence.items():
            matches = groups.get(ad, [])
            item.text_others = sum(1 for other, _ in matches if names.get(other) != names.get(ad))

    def _places(self, evidence) -> None:
        ads = list(evidence)
        for ids in _chunked(ads):
            marks = ", ".join("?" for _ in ids)
            places: dict[int, set[str]] = defaultdict(set)
            for ad, place in self.conn.execute(
                f"SELECT DISTINCT ad, place FROM ad_observations WHERE place IS NOT NULL AND ad IN ({marks})",
                ids,
            ):
                places[ad].add(normalise_place(place))  # 's-Graveland and s Graveland are one place
            for ad, names in places.items():
                evidence[ad].ad_places = len(names)

    def _median_price(self) -> float | None:
        prices = [
            row[0]
            for row in self.conn.execute(
                "SELECT o.price FROM ads a JOIN ad_observations o ON o.id = a.latest_observation_id "
                "WHERE o.price IS NOT NULL AND o.price > 0"
            )
        ]
        return statistics.median(prices) if len(prices) >= 5 else None


def score_rows(db, rows: list[dict[str, Any]], rules: Rules) -> list[AdScore]:
    evidence = EvidenceBuilder(db).build(rows)
    scores = []
    for row in rows:
        fired = evaluate(evidence[row["ad"]], rules)
        total = round(sum(f.weight for f in fired), 2)
        scores.append(AdScore(row["ad"], row["observation"], row, fired, total, total >= rules.threshold))
    return scores


def score_period(db, rules: Rules, period: Period, *, gemeente: str | None = None, store: bool = True) -> list[AdScore]:
    """Score every ad seen in `period`; store the scores (in one transaction)."""
    from mhtool.store.db import transaction

    rows = _observations(db, period, gemeente)
    scores = score_rows(db, rows, rules)
    if store and scores:
        scored_at = now_iso()
        with transaction(db):
            db.conn.executemany(
                "INSERT INTO ad_scores (ad, observation, period, scored_at, rules_version, score, risky, "
                "indicators, reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (s.ad, s.observation, stored_label(period), scored_at, rules.version, s.score, int(s.risky),
                     ";".join(f.code for f in s.fired), json.dumps([f.reason for f in s.fired], ensure_ascii=False))
                    for s in scores
                ],
            )
    scores.sort(key=lambda s: (not s.risky, -s.score, s.row["site"], s.row["ad_id"]))
    return scores


def output_row(score: AdScore, period: Period) -> dict[str, Any]:
    row = score.row
    start = _bounds(period)[0]
    is_new = bool(start) and row["first_seen"] >= start
    return {
        "site": row["site"],
        "ad_id": row["ad_id"],
        "url": row["url"],
        "name": row["name"],
        "age": row["age"],
        "phone": row["phone"],
        "place": row["place"],
        "gemeente": row["gemeente"],
        "score": int(score.score) if float(score.score).is_integer() else score.score,
        "risky": 1 if score.risky else 0,
        "indicators": ";".join(f.code for f in score.fired),
        "reasons": "; ".join(f.reason for f in score.fired),
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
        "new": 1 if is_new else 0,
    }
