"""Reading ads back: a filtered list, one ad with its history, and the links
between ads and signals through shared phone numbers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from mhtool import query
from mhtool.ads.importer import change_key
from mhtool.ads.review import find_ad
from mhtool.phonelinks import signals_for_phones
from mhtool.query import Filter

LIST_COLUMNS = [
    "site",
    "ad_id",
    "name",
    "age",
    "phone",
    "place",
    "gemeente",
    "first_seen",
    "last_seen",
    "observations",
    "score",
    "risky",
    "review",
]


def list_ads(db, selection: Filter, limit: int | None = None) -> Iterator[dict[str, Any]]:
    where, params = query.where(selection, query.ADS)
    sql = f"""
        SELECT a.site, a.ad_id, o.name, o.age, o.phone, o.place, o.gemeente, a.first_seen, a.last_seen,
               (SELECT count(*) FROM ad_observations x JOIN ad_sightings y ON y.observation = x.id
                WHERE x.ad = a.id) AS observations,
               s.score, s.risky,
               (SELECT label FROM ad_reviews r WHERE r.ad = a.id ORDER BY r.id DESC LIMIT 1) AS review
        FROM ads a
        JOIN ad_observations o ON o.id = a.latest_observation_id
        LEFT JOIN ad_scores latest ON latest.ad = a.id AND latest.run = (SELECT max(run) FROM ad_scores WHERE ad = a.id)
        LEFT JOIN ad_verdicts s ON s.id = latest.verdict
        {where}
        ORDER BY a.last_seen DESC, a.site, a.ad_id
    """
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    yield from db.query(sql, params)


# Long: one read of the ad, its history of changes and its scores, in the order `ads show` prints them.
def ad_details(db, key: str) -> dict[str, Any]:
    ad, site, ad_id = find_ad(db, key)
    head = db.conn.execute("SELECT first_seen, last_seen, source FROM ads WHERE id = ?", (ad,)).fetchone()

    def rows(sql: str, params) -> list[dict[str, Any]]:
        cursor = db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r)) for r in cursor]

    observations = rows(
        "SELECT id, seen_on, (SELECT max(seen_on) FROM ad_sightings WHERE observation = o.id) AS seen_until, "
        "(SELECT count(*) FROM ad_sightings WHERE observation = o.id) AS times_seen, url, title, name, age, "
        "age_from, phone, place, gemeente, licence, nationality, price, photo_hashes, text, text_hash "
        "FROM ad_observations o WHERE ad = ? ORDER BY seen_on, id",
        (ad,),
    )
    previous = None
    for observation in observations:
        compared = change_key(db.conn, observation["id"])
        changes: list[str] = []
        if previous:
            old_key, old = previous
            for index, label in ((0, "telefoon"), (1, "plaats"), (2, "tekst")):
                if compared[index] != old_key[index]:
                    changes.append(label)
            for field_name, label in (("price", "prijs"), ("licence", "vergunning"), ("name", "naam")):
                if observation[field_name] != old[field_name]:
                    changes.append(label)
        observation["changed"] = ", ".join(changes)
        previous = (compared, observation)
    for observation in observations:
        observation.pop("text_hash")
    phones = sorted(
        {
            e164
            for (e164,) in db.conn.execute(
                "SELECT DISTINCT p.e164 FROM ad_phones p JOIN ad_observations o ON o.id = p.observation "
                "WHERE o.ad = ? AND p.valid = 1",
                (ad,),
            )
        }
    )
    scores = rows(
        "SELECT period, scored_at, rules_version, score, risky, indicators, reasons FROM ad_score_list "
        "WHERE ad = ? ORDER BY run",
        (ad,),
    )
    for score in scores:
        score["reasons"] = json.loads(score["reasons"])
    return {
        "site": site,
        "ad_id": ad_id,
        "first_seen": head[0],
        "last_seen": head[1],
        "entered": head[2],
        "phones": phones,
        "observations": observations,
        "scores": scores,
        "reviews": rows("SELECT label, note, reviewed_at FROM ad_reviews WHERE ad = ? ORDER BY id", (ad,)),
        # The municipality's side (written by mhtool/cases/handover.py; read here as tables).
        "handovers": rows("SELECT gemeente, handed_at FROM ad_handovers WHERE ad = ? ORDER BY id", (ad,)),
        "feedback": rows("SELECT given_on, gemeente, outcome, note FROM ad_feedback WHERE ad = ? ORDER BY id", (ad,)),
        "signals": signals_for_phones(db, phones),
    }
