"""Reading signals back: filtered lists and one signal in full."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

from ..errors import MhtoolError, UsageError
from ..parse.categories import label
from ..region import normalise_place

LIST_COLUMNS = ["id", "source", "ref", "reported_on", "type", "gemeente", "place", "phones", "text"]


@dataclass
class SignalFilter:
    source: str | None = None
    gemeente: str | None = None
    type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    search: str | None = None
    limit: int | None = None


def _where(f: SignalFilter) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if f.source:
        clauses.append("s.source = ?")
        params.append(f.source)
    if f.gemeente:
        clauses.append("lower(s.gemeente) = lower(?)")
        params.append(f.gemeente)
    if f.type:
        clauses.append("s.type = ?")
        params.append(f.type)
    if f.date_from:
        clauses.append("substr(s.reported_on, 1, 10) >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("substr(s.reported_on, 1, 10) <= ?")
        params.append(f.date_to)
    if f.search:
        like = "%" + f.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(
            "(s.text LIKE ? ESCAPE '\\' OR s.persons LIKE ? ESCAPE '\\' OR s.address LIKE ? ESCAPE '\\' "
            "OR s.ref LIKE ? ESCAPE '\\' OR s.place LIKE ? ESCAPE '\\' "
            "OR EXISTS (SELECT 1 FROM signal_phones p WHERE p.signal_id = s.id AND (p.e164 LIKE ? ESCAPE '\\' OR p.raw LIKE ? ESCAPE '\\')))"
        )
        params.extend([like] * 7)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_signals(db, f: SignalFilter) -> Iterator[dict[str, Any]]:
    where, params = _where(f)
    sql = (
        "SELECT s.id, s.source, s.ref, s.reported_on, s.type, s.gemeente, s.place, "
        "(SELECT group_concat(CASE WHEN p.valid THEN p.e164 ELSE p.raw END, ', ') FROM "
        " (SELECT e164, raw, valid FROM signal_phones WHERE signal_id = s.id ORDER BY position) p) AS phones, "
        "s.text FROM signals s" + where + " ORDER BY s.reported_on, s.id"
    )
    if f.limit:
        sql += " LIMIT ?"
        params.append(f.limit)
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        record = dict(zip(names, row))
        record["type"] = label(record["type"])
        yield record


def find_signal(db, key: str) -> dict[str, Any]:
    """A signal by id, by ref, or by SOURCE:REF."""
    conn = db.conn
    rows = []
    if key.isdigit():
        rows = conn.execute("SELECT * FROM signals WHERE id = ?", (int(key),)).fetchall()
    if not rows:
        rows = conn.execute("SELECT * FROM signals WHERE ref = ?", (key,)).fetchall()
    if not rows and ":" in key:
        source, _, ref = key.partition(":")
        rows = conn.execute("SELECT * FROM signals WHERE source = ? AND ref = ?", (source, ref)).fetchall()
    if not rows:
        raise MhtoolError(f"no signal with id or reference {key!r}")
    if len(rows) > 1:
        sources = ", ".join(f"{r[1]}:{key}" for r in rows)
        raise MhtoolError(f"reference {key!r} exists in several sources; use one of: {sources}")
    cursor = conn.execute("SELECT * FROM signals WHERE id = ?", (rows[0][0],))
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone()))


def signal_details(db, key: str) -> dict[str, Any]:
    """Every field of one signal, its phones and raw record, for `signals show`."""
    signal = find_signal(db, key)
    phones = [
        {"raw": raw, "e164": e164, "valid": bool(valid)}
        for raw, e164, valid in db.conn.execute(
            "SELECT raw, e164, valid FROM signal_phones WHERE signal_id = ? ORDER BY position",
            (signal["id"],),
        )
    ]
    signal["type_label"] = label(signal["type"])
    signal["phones"] = phones
    from ..ads.queries import ads_for_phones

    signal["ads"] = ads_for_phones(db, [p["e164"] for p in phones if p["valid"]])
    signal["raw"] = json.loads(signal["raw"])
    return signal


def gemeente_filter_value(region, name: str) -> str:
    """Accept a municipality name in any spelling (or 'onbekend'/'buiten regio')."""
    key = normalise_place(name)
    for known in [*(m.gemeente for m in region.municipalities), "onbekend", "buiten regio"]:
        if normalise_place(known) == key:
            return known
    raise UsageError(
        f"unknown municipality {name!r} (known: {', '.join(sorted({m.gemeente for m in region.municipalities}))}, onbekend, buiten regio)"
    )
