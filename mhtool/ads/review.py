"""The director's own judgement of ads, and how well the rules agree with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mhtool.ads.rules import Rules
from mhtool.ads.scoring import score_rows
from mhtool.ads.tune import Confusion, Example
from mhtool.errors import MhtoolError, UsageError
from mhtool.stamps import now_iso, os_user
from mhtool.store.db import transaction

LABELS = ("risky", "not-risky")


def find_ad(db, key: str) -> tuple[int, str, str]:
    """An ad by SITE:AD_ID (or its database id)."""
    site, sep, ad_id = key.rpartition(":")
    row = None
    if sep:
        row = db.conn.execute("SELECT id, site, ad_id FROM ads WHERE site = ? AND ad_id = ?", (site, ad_id)).fetchone()
    elif key.isdigit():
        row = db.conn.execute("SELECT id, site, ad_id FROM ads WHERE id = ?", (int(key),)).fetchone()
    else:
        raise UsageError(f"{key!r}: expected SITE:AD_ID")
    if row is None:
        raise MhtoolError(f"no ad {key!r}")
    return row


def add_review(db, key: str, label: str, note: str | None) -> int:
    if label not in LABELS:
        raise UsageError(f"--label must be one of {', '.join(LABELS)}")
    ad, _, _ = find_ad(db, key)
    with transaction(db):
        db.conn.execute(
            "INSERT INTO ad_reviews (ad, label, note, reviewed_at, os_user) VALUES (?, ?, ?, ?, ?)",
            (ad, label, note, now_iso(), os_user()),
        )
    return ad


def _reviewed_rows(db) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Latest observation and latest label of every reviewed ad."""
    labels = {
        ad: label
        for ad, label in db.conn.execute(
            "SELECT ad, label FROM ad_reviews r WHERE id = (SELECT max(id) FROM ad_reviews WHERE ad = r.ad)"
        )
    }
    cursor = db.conn.execute(
        """
        SELECT o.id AS observation, a.id AS ad, a.site, a.ad_id, o.url, o.name, o.age, o.phone, o.place,
               o.gemeente, o.text, o.title, o.licence, o.price, o.price_minutes, o.nationality, a.last_seen AS seen_on,
               a.first_seen, a.last_seen
        FROM ads a JOIN ad_observations o ON o.id = a.latest_observation_id
        WHERE a.id IN (SELECT DISTINCT ad FROM ad_reviews)
        ORDER BY a.site, a.ad_id
        """
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor], labels


@dataclass
class Evaluation(Confusion):
    rules_version: str = ""
    threshold: float = 0.0
    per_indicator: dict[str, list[int]] = field(default_factory=dict)  # code -> [on risky, on not-risky]

    @property
    def reviewed(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def labelled_risky(self) -> int:
        return self.tp + self.fn


def labelled_examples(db, rules: Rules):
    """Every reviewed ad as (indicators fired under `rules`, latest label)."""
    rows, labels = _reviewed_rows(db)
    return [Example(score.fired, labels[score.ad] == "risky") for score in score_rows(db, rows, rules)]


def evaluate_rules(db, rules: Rules) -> Evaluation:
    rows, labels = _reviewed_rows(db)
    if not rows:
        raise MhtoolError("no reviewed ads yet; label some with: mhtool ads review SITE:AD_ID --label risky|not-risky")
    result = Evaluation(
        rules_version=rules.version,
        threshold=rules.threshold,
        per_indicator={code: [0, 0] for code in rules.indicators},
    )
    for score in score_rows(db, rows, rules):
        actual = labels[score.ad] == "risky"
        result.add(score.risky, actual)
        for fired in score.fired:
            result.per_indicator[fired.code][0 if actual else 1] += 1
    return result


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def metric_rows(result: Evaluation) -> list[dict[str, Any]]:
    return [
        {"measure": "rules_version", "value": result.rules_version},
        {"measure": "threshold", "value": result.threshold},
        {"measure": "reviewed", "value": result.reviewed},
        {"measure": "labelled_risky", "value": result.labelled_risky},
        {"measure": "true_positive", "value": result.tp},
        {"measure": "false_positive", "value": result.fp},
        {"measure": "false_negative", "value": result.fn},
        {"measure": "true_negative", "value": result.tn},
        {"measure": "precision", "value": _ratio(result.precision)},
        {"measure": "recall", "value": _ratio(result.recall)},
        {"measure": "f1", "value": _ratio(result.f1)},
    ]


def indicator_rows(result: Evaluation, rules: Rules) -> list[dict[str, Any]]:
    risky_total = result.labelled_risky
    safe_total = result.reviewed - risky_total
    rows = []
    for code, (on_risky, on_safe) in result.per_indicator.items():
        rows.append(
            {
                "indicator": code,
                "weight": rules.indicators[code].weight,
                "fires_on_risky": on_risky,
                "share_of_risky": _ratio(on_risky / risky_total if risky_total else None),
                "fires_on_not_risky": on_safe,
                "share_of_not_risky": _ratio(on_safe / safe_total if safe_total else None),
            }
        )
    return rows
