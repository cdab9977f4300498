"""Signals and ads that share a phone number: the one place that joins the
two areas (`signals show` lists the ads, `ads show` the signals, and the
`signal_phone` indicator names the signals behind an ad's number)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def _marks(values: list) -> str:
    return ", ".join("?" for _ in values)


def signals_for_phones(db, phones: list[str]) -> list[dict[str, Any]]:
    """Signals that hold one of these (E.164) numbers, oldest first."""
    if not phones:
        return []
    return list(
        db.query(
            f"SELECT DISTINCT s.id, s.source, s.ref, s.reported_on, s.gemeente FROM signal_phones p "
            f"JOIN signals s ON s.id = p.signal_id WHERE p.valid = 1 AND p.e164 IN ({_marks(phones)}) "
            f"ORDER BY s.reported_on",
            phones,
        )
    )


def ads_for_phones(db, phones: list[str]) -> list[dict[str, Any]]:
    """Ads that used one of these (E.164) numbers in any observation."""
    if not phones:
        return []
    return list(
        db.query(
            f"SELECT DISTINCT a.site, a.ad_id, a.first_seen, a.last_seen, p.e164 FROM ad_phones p "
            f"JOIN ad_observations o ON o.id = p.observation JOIN ads a ON a.id = o.ad "
            f"WHERE p.valid = 1 AND p.e164 IN ({_marks(phones)}) ORDER BY a.last_seen DESC, a.site, a.ad_id",
            phones,
        )
    )


def signal_refs_by_phone(conn, phones: list[str]) -> dict[str, list[str]]:
    """SOURCE:REF of the signals holding each number, oldest first."""
    found: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(phones), 500):
        chunk = phones[start : start + 500]
        for e164, source, ref in conn.execute(
            f"SELECT p.e164, s.source, s.ref FROM signal_phones p JOIN signals s ON s.id = p.signal_id "
            f"WHERE p.valid = 1 AND p.e164 IN ({_marks(chunk)}) ORDER BY s.reported_on, s.id",
            chunk,
        ):
            found[e164].append(f"{source}:{ref}")
    return found
