"""Recording what happens to a case: every change is one appended event
(see mhtool/store/schema/later.py, m010_cases). Callable without click."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mhtool.cases.lists import choose, state
from mhtool.errors import MhtoolError, UsageError
from mhtool.stamps import now_iso, os_user
from mhtool.store.db import transaction

CASE_COLUMNS = ("status", "owner", "follow_up", "reason", "forwarded_to", "taken_up_on", "last_event_on", "events")


@dataclass
class Change:
    """What one command asks for; None leaves a field as the case has it."""

    status: str | None = None
    owner: str | None = None
    follow_up: dt.date | None = None
    note: str | None = None
    on: dt.date | None = None  # the day it happened (default today)
    reason: str | None = None
    destination: str | None = None
    gemeente: str | None = None


def find_situation(conn, key: str) -> int:
    """A situation by its id, or by one of its signals (id, ref or SOURCE:REF)."""
    key = str(key).strip()
    rows: list = []
    if key.isdigit():
        rows = conn.execute("SELECT situation_id FROM signals WHERE id = ?", (int(key),)).fetchall()
    if not rows:
        rows = conn.execute("SELECT situation_id FROM signals WHERE ref = ?", (key,)).fetchall()
    if not rows and ":" in key:
        source, _, ref = key.partition(":")
        rows = conn.execute("SELECT situation_id FROM signals WHERE source = ? AND ref = ?", (source, ref)).fetchall()
    if not rows:
        raise MhtoolError("no situation or signal with that id or reference (see: mhtool cases list)")
    if len({r[0] for r in rows}) > 1:
        raise MhtoolError("that reference exists in several sources; use SOURCE:REF")
    return rows[0][0]


def current(conn, situation: int) -> dict[str, Any]:
    """The case's state now: its latest event ('nieuw' and no owner without one)."""
    cursor = conn.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM case_states WHERE situation_id = ?", (situation,))
    row = cursor.fetchone()
    if row is None:
        return {
            "status": "nieuw",
            "owner": None,
            "follow_up": None,
            "reason": None,
            "forwarded_to": None,
            "taken_up_on": None,
            "last_event_on": None,
            "events": 0,
        }
    return dict(zip(CASE_COLUMNS, row))


def _record(db, key: str, kind: str, change: Change) -> dict[str, Any]:
    """Append one event; the case's other fields carry over from its latest event."""
    on = change.on or dt.date.today()
    if on > dt.date.today():
        raise UsageError("--date lies in the future")
    with transaction(db):
        conn = db.conn
        situation = find_situation(conn, key)
        before = current(conn, situation)
        status = change.status or before["status"]
        owner = change.owner if change.owner is not None else (before["owner"] or os_user())
        follow_up = change.follow_up.isoformat() if change.follow_up else before["follow_up"]
        reason = change.reason if status == "afgesloten" else None
        if status == "afgesloten":
            follow_up = None  # nothing left to chase
        conn.execute(
            "INSERT INTO case_events (signal_id, happened_on, recorded_at, os_user, kind, status, owner, follow_up, "
            "reason, destination, gemeente, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                situation,
                on.isoformat(),
                now_iso(),
                os_user(),
                kind,
                status,
                owner.strip() or None,
                follow_up,
                reason,
                change.destination,
                change.gemeente,
                (change.note or "").strip() or None,
            ),
        )
        after = current(conn, situation)
    return {"situation": situation, "before": before["status"], **after}


def set_case(db, key: str, change: Change) -> dict[str, Any]:
    """`cases set`: status (nieuw or in behandeling), owner, follow-up date, a note."""
    if change.status is not None:
        change.status = state(change.status)
        if change.status == "afgesloten":
            raise UsageError("--status afgesloten needs a reason: use mhtool cases close SITUATION --reason R")
        if change.status == "doorgezet":
            raise UsageError("--status doorgezet needs a destination: use mhtool cases forward SITUATION --to DEST")
    if all(v is None for v in (change.status, change.owner, change.follow_up, change.note)):
        raise UsageError("give at least one of --status, --owner, --follow-up, --note")
    return _record(db, key, "status", change)


def close_case(db, key: str, reason: str, note: str | None = None, on: dt.date | None = None) -> dict[str, Any]:
    """`cases close`: closed, with a reason from the list."""
    return _record(
        db,
        key,
        "afgesloten",
        Change(status="afgesloten", reason=choose("closing_reasons", reason, "--reason"), note=note, on=on),
    )


def forward_case(db, key: str, destination: str, change: Change) -> dict[str, Any]:
    """`cases forward`: passed on to a destination (a municipality: --gemeente)."""
    change.destination = choose("destinations", destination, "--to")
    if change.destination == "gemeente" and not change.gemeente:
        raise UsageError("--to gemeente needs --gemeente NAME")
    if change.destination != "gemeente" and change.gemeente:
        raise UsageError("--gemeente goes with --to gemeente only")
    change.status = "doorgezet"
    return _record(db, key, "doorgezet", change)
