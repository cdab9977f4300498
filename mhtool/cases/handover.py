"""Risky ads handed to a municipality (`mhtool ads handover`) and what the
municipality did with them (`mhtool ads feedback`).

Reads the ad tables through SQL (the ads area knows nothing of cases). A
handover records, per ad, what was handed over: its latest observation and
the indicators that fired (`fingerprint`). The next handover to the same
municipality leaves out an ad handed over unchanged, and marks an ad as
'nieuw' (never handed over) or 'gewijzigd' (other data or other reasons)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from mhtool.cases.lists import choose
from mhtool.errors import MhtoolError, UsageError
from mhtool.periods import Period
from mhtool.stamps import now_iso, os_user
from mhtool.store.db import transaction

COLUMNS = [
    "advertentie",
    "status",
    "score",
    "redenen",
    "naam",
    "leeftijd",
    "telefoon",
    "plaats",
    "url",
    "eerst gezien",
    "laatst gezien",
    "eerder overgedragen",
]

_RISKY = """
    SELECT a.id, a.site, a.ad_id, a.first_seen, a.last_seen, sc.score, sc.indicators, sc.reasons,
           o.url, o.name, o.age, o.phone, o.place, o.content_hash
    FROM ad_score_list sc JOIN ads a ON a.id = sc.ad JOIN ad_observations o ON o.id = sc.observation
    WHERE sc.period = ? AND sc.risky = 1 AND o.gemeente = ?
      AND sc.run = (SELECT max(x.run) FROM ad_scores x JOIN ad_score_runs r ON r.id = x.run
                    WHERE x.ad = sc.ad AND r.period = sc.period)
    ORDER BY sc.score DESC, a.site, a.ad_id
"""


@dataclass
class Handover:
    gemeente: str
    week: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    fingerprints: dict[int, str] = field(default_factory=dict)  # ad id -> what is handed over now
    unchanged: int = 0


def latest_scored_week(conn) -> str:
    row = conn.execute("SELECT max(period) FROM ad_score_runs WHERE period GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'")
    week = row.fetchone()[0]
    if week is None:
        raise MhtoolError("no week has been scored yet; run: mhtool ads score --week YEAR-Wnn")
    return week


def prepare(db, gemeente: str, week: Period | None = None, everything: bool = False) -> Handover:
    """The municipality's risky ads of the week; without `everything`, only
    those new or changed since the last handover to it."""
    conn = db.conn
    label = week.label if week is not None else latest_scored_week(conn)
    result = Handover(gemeente, label)
    previous = {
        ad: (fingerprint, week_)
        for ad, fingerprint, week_ in conn.execute(
            "SELECT ad, fingerprint, week FROM ad_handovers h WHERE gemeente = ? "
            "AND id = (SELECT max(id) FROM ad_handovers x WHERE x.ad = h.ad AND x.gemeente = h.gemeente)",
            (gemeente,),
        )
    }
    for row in conn.execute(_RISKY, (label, gemeente)):
        ad, site, ad_id, first_seen, last_seen, score, indicators, reasons, url, name, age, phone, place, content = row
        fingerprint = hashlib.sha256(f"{content}|{indicators}".encode()).hexdigest()[:16]
        before = previous.get(ad)
        status = "nieuw" if before is None else ("ongewijzigd" if before[0] == fingerprint else "gewijzigd")
        if status == "ongewijzigd" and not everything:
            result.unchanged += 1
            continue
        result.fingerprints[ad] = fingerprint
        result.rows.append(
            {
                "advertentie": f"{site}:{ad_id}",
                "status": status,
                "score": score,
                "redenen": "; ".join(json.loads(reasons)),
                "naam": name,
                "leeftijd": age,
                "telefoon": phone,
                "plaats": place,
                "url": url,
                "eerst gezien": first_seen,
                "laatst gezien": last_seen,
                "eerder overgedragen": before[1] if before else None,
            }
        )
    return result


def record(db, handover: Handover) -> None:
    """Record what went to the municipality, after the file was written."""
    when = now_iso()
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO ad_handovers (ad, gemeente, week, handed_at, os_user, fingerprint) VALUES (?, ?, ?, ?, ?, ?)",
            [(ad, handover.gemeente, handover.week, when, os_user(), fp) for ad, fp in handover.fingerprints.items()],
        )


def find_ad(conn, key: str) -> int:
    site, _, ad_id = key.partition(":")
    row = conn.execute("SELECT id FROM ads WHERE site = ? AND ad_id = ?", (site, ad_id)).fetchone() if ad_id else None
    if row is None:
        raise MhtoolError("no ad with that SITE:AD_ID (see: mhtool ads list)")
    return row[0]


def feedback(
    db, key: str, outcome: str, note: str | None = None, review: str | None = None, on: dt.date | None = None
) -> dict[str, Any]:
    """Record what the municipality did with an ad; with `review` ('risky' or
    'not-risky') also a review label for `ads evaluate`."""
    outcome = choose("ad_outcomes", outcome, "--outcome")
    if review not in (None, "risky", "not-risky"):
        raise UsageError("--review: choose from: risky, not-risky")
    on = on or dt.date.today()
    with transaction(db):
        conn = db.conn
        ad = find_ad(conn, key)
        handed = conn.execute(
            "SELECT gemeente FROM ad_handovers WHERE ad = ? ORDER BY id DESC LIMIT 1", (ad,)
        ).fetchone()
        conn.execute(
            "INSERT INTO ad_feedback (ad, gemeente, outcome, note, given_on, recorded_at, os_user) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                ad,
                handed[0] if handed else None,
                outcome,
                (note or "").strip() or None,
                on.isoformat(),
                now_iso(),
                os_user(),
            ),
        )
        if review:
            conn.execute(
                "INSERT INTO ad_reviews (ad, label, note, reviewed_at, os_user) VALUES (?, ?, ?, ?, ?)",
                (ad, review, f"terugkoppeling gemeente: {outcome}", now_iso(), os_user()),
            )
    return {"ad": key, "outcome": outcome, "gemeente": handed[0] if handed else None, "review": review}


def feedback_rows(conn, key: str) -> list[dict[str, Any]]:
    """An ad's handovers and feedback, oldest first (for `ads feedback --list`)."""
    ad = find_ad(conn, key)
    rows = [
        {"datum": w[:10], "wat": "overgedragen", "gemeente": g, "uitkomst": None, "notitie": None}
        for w, g in conn.execute("SELECT handed_at, gemeente FROM ad_handovers WHERE ad = ? ORDER BY id", (ad,))
    ]
    rows += [
        {"datum": d, "wat": "terugkoppeling", "gemeente": g, "uitkomst": o, "notitie": n}
        for d, g, o, n in conn.execute(
            "SELECT given_on, gemeente, outcome, note FROM ad_feedback WHERE ad = ? ORDER BY id", (ad,)
        )
    ]
    return sorted(rows, key=lambda r: r["datum"])
