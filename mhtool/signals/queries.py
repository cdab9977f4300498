"""Reading signals back: filtered lists and one signal in full."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from mhtool import query
from mhtool.errors import MhtoolError
from mhtool.parse.categories import label
from mhtool.phonelinks import ads_for_phones
from mhtool.query import Filter

LIST_COLUMNS = ["id", "source", "ref", "reported_on", "type", "gemeente", "place", "phones", "text", "situation_id"]
DUPES_COLUMNS = ["situation_id", "signals", "a", "a_ref", "a_date", "b", "b_ref", "b_date", "link", "score", "evidence"]
DECISIONS_COLUMNS = ["a", "a_ref", "b", "b_ref", "decision", "decided_at", "os_user", "same_situation"]


def list_signals(db, f: Filter, limit: int | None = None) -> Iterator[dict[str, Any]]:
    where, params = query.where(f, query.SIGNALS)
    sql = (
        "SELECT s.id, s.source, s.ref, s.reported_on, s.type, s.gemeente, s.place, "
        "(SELECT group_concat(CASE WHEN p.valid THEN p.e164 ELSE p.raw END, ', ') FROM "
        " (SELECT e164, raw, valid FROM signal_phones WHERE signal_id = s.id ORDER BY position) p) AS phones, "
        "s.text, s.situation_id FROM signals s" + where + " ORDER BY s.reported_on, s.id"
    )
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    for record in db.query(sql, params):
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
    signal["ads"] = ads_for_phones(db, [p["e164"] for p in phones if p["valid"]])
    signal["raw"] = json.loads(signal["raw"])
    signal["situation"] = situation_details(db, signal["situation_id"], signal["id"])
    return signal


def situation_details(db, situation_id: int, signal_id: int) -> dict[str, Any]:
    """A situation's fields and its signals, each with its link to `signal_id`."""
    from mhtool.signals.dedupe.evidence import describe

    cursor = db.conn.execute(
        "SELECT id, signal_count, reported_on, type, gemeente, sources FROM situations WHERE id = ?", (situation_id,)
    )
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    details: dict[str, Any] = dict(zip(names, row)) if row else {"id": situation_id}
    links = {}
    for a, b, score, evidence in db.conn.execute(
        "SELECT a, b, score, evidence FROM signal_matches WHERE ? IN (a, b)", (signal_id,)
    ):
        links[b if a == signal_id else a] = ("auto", score, describe(json.loads(evidence)["rules"]))
    for a, b in db.conn.execute(
        "SELECT a, b FROM signal_decisions WHERE decision = 'link' AND ? IN (a, b)", (signal_id,)
    ):
        links[b if a == signal_id else a] = ("director", None, "gekoppeld door de ketenregisseur")
    details["signals"] = []
    for other, source, ref, reported_on, gemeente in db.conn.execute(
        "SELECT id, source, ref, reported_on, gemeente FROM signals WHERE situation_id = ? AND id != ? "
        "ORDER BY reported_on, id",
        (situation_id, signal_id),
    ):
        link, score, evidence = links.get(other, (None, None, None))
        details["signals"].append(
            {
                "id": other,
                "source": source,
                "ref": ref,
                "reported_on": reported_on,
                "gemeente": gemeente,
                "link": link,
                "score": score,
                "evidence": evidence,
            }
        )
    return details


def dupes(db) -> Iterator[dict[str, Any]]:
    """Every link inside a situation of more than one signal, with its evidence."""
    from mhtool.signals.dedupe.evidence import describe

    sql = """
        SELECT s.id AS situation_id, s.signal_count AS signals, l.a, l.b, l.link, l.score, l.evidence,
               a.source || ':' || a.ref AS a_ref, a.reported_on AS a_date,
               b.source || ':' || b.ref AS b_ref, b.reported_on AS b_date
        FROM (SELECT a, b, 'auto' AS link, score, evidence FROM signal_matches
              UNION ALL
              SELECT a, b, 'director', NULL, NULL FROM signal_decisions WHERE decision = 'link') l
        JOIN signals a ON a.id = l.a
        JOIN signals b ON b.id = l.b AND b.situation_id = a.situation_id
        JOIN situations s ON s.id = a.situation_id
        WHERE s.signal_count > 1
        ORDER BY s.reported_on, s.id, l.a, l.b, l.link
    """
    cursor = db.conn.execute(sql)
    names = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(names, values))
        row["evidence"] = (
            describe(json.loads(row["evidence"])["rules"]) if row["evidence"] else "gekoppeld door de ketenregisseur"
        )
        yield row


def decisions(db) -> Iterator[dict[str, Any]]:
    """The director's links and unlinks, newest first."""
    cursor = db.conn.execute(
        """
        SELECT d.a, a.source || ':' || a.ref AS a_ref, d.b, b.source || ':' || b.ref AS b_ref, d.decision,
               d.decided_at, d.os_user, a.situation_id = b.situation_id AS same_situation
        FROM signal_decisions d JOIN signals a ON a.id = d.a JOIN signals b ON b.id = d.b
        ORDER BY d.decided_at DESC, d.a, d.b
        """
    )
    names = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(names, values))
