"""`mhtool ads score`: which ads to score and their scores (the evidence
about each is gathered by `mhtool.ads.evidence`)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from mhtool import periods
from mhtool.ads.evidence import EvidenceBuilder
from mhtool.ads.indicators import Fired, evaluate, score_of
from mhtool.ads.rules import Rules
from mhtool.parse.categories import fold
from mhtool.periods import Period, parse_week
from mhtool.stamps import now_iso

SCORE_COLUMNS = [
    "site",
    "ad_id",
    "url",
    "name",
    "age",
    "phone",
    "place",
    "gemeente",
    "score",
    "risky",
    "indicators",
    "reasons",
    "first_seen",
    "last_seen",
    "new",
]


def week_period(week: str) -> Period:
    return parse_week(week)


def latest_week(db) -> Period | None:
    row = db.conn.execute("SELECT max(seen_on) FROM ad_sightings").fetchone()
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


def _observations(db, period: Period, gemeente: str | None) -> list[dict[str, Any]]:
    """Per ad seen in the period: the observation (version) it was seen
    with last within the period, and that day. Reads the period's
    sightings and one observation per ad, however long the history."""
    clauses, params = [], []
    start, end = _bounds(period)
    if start:
        clauses.append("s.seen_on >= ?")
        params.append(start)
    if end:
        clauses.append("s.seen_on <= ?")
        params.append(end)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = f"""
        WITH seen AS (
            SELECT s.observation, max(s.seen_on) AS seen_on FROM ad_sightings s{where} GROUP BY s.observation
        ), ranked AS (
            SELECT seen.observation, seen.seen_on, o.ad,
                   row_number() OVER (PARTITION BY o.ad ORDER BY seen.seen_on DESC, seen.observation DESC) AS rank
            FROM seen JOIN ad_observations o ON o.id = seen.observation
        )
        SELECT r.observation, r.ad, a.site, a.ad_id, o.url, o.name, o.age, o.phone, o.place,
               o.gemeente, o.text, o.title, o.licence, o.price, o.price_minutes, o.nationality, r.seen_on,
               a.first_seen, a.last_seen
        FROM ranked r JOIN ad_observations o ON o.id = r.observation JOIN ads a ON a.id = r.ad
        WHERE r.rank = 1
    """
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor]
    if gemeente:
        rows = [r for r in rows if fold(r["gemeente"] or "") == fold(gemeente)]
    return rows


def score_rows(db, rows: list[dict[str, Any]], rules: Rules, *, texts_of_period: bool = False) -> list[AdScore]:
    from mhtool.ads.textwork import text_work

    with text_work(rows, rules, shingles="shared_text" in rules.indicators) as work:  # meanwhile, the evidence
        builder = EvidenceBuilder(db, rules, texts_of_period=texts_of_period, shingles=work.shingles)
        evidence = builder.build(rows)
        finds = work.text_finds()
    scores = []
    for row in rows:
        evidence[row["ad"]].text_finds = finds.get(row["ad"], {})
        fired = evaluate(evidence[row["ad"]], rules)
        total = score_of(fired)
        scores.append(AdScore(row["ad"], row["observation"], row, fired, total, total >= rules.threshold))
    return scores


def score_period(db, rules: Rules, period: Period, *, gemeente: str | None = None, store: bool = True) -> list[AdScore]:
    """Score every ad seen in `period`; store the scores (in one transaction)."""
    from mhtool.ads.aggregates import backfill_if_owed
    from mhtool.store.db import transaction

    if db.conn.execute("SELECT 1 FROM backfills WHERE name = 'ad_uses'").fetchone():
        with transaction(db):  # a database from before the use tables (aggregates.py)
            backfill_if_owed(db.conn)

    # --gemeente narrows the list, not the ads the texts are compared with
    rows = _observations(db, period, None)
    scores = score_rows(db, rows, rules, texts_of_period=True)
    if gemeente:
        scores = [s for s in scores if fold(s.row["gemeente"] or "") == fold(gemeente)]
    if store and scores:
        from mhtool.store.adscores import store_run

        with transaction(db):
            store_run(
                db.conn,
                stored_label(period),
                now_iso(),
                rules.version,
                [(s.ad, s.observation, _verdict(s)) for s in scores],
            )
    scores.sort(key=lambda s: (not s.risky, -s.score, s.row["site"], s.row["ad_id"]))
    return scores


def _verdict(s: AdScore) -> tuple[float, int, str, str]:
    reasons = json.dumps([f.reason for f in s.fired], ensure_ascii=False)
    return float(s.score), int(s.risky), ";".join(f.code for f in s.fired), reasons


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
