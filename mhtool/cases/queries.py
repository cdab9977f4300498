"""Reading cases: `cases list`, `cases due`, `cases show`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from mhtool import query
from mhtool.cases.lists import OPEN_STATES
from mhtool.cases.model import current, find_situation
from mhtool.parse.categories import LABELS
from mhtool.query import Filter

LIST_COLUMNS = [
    "situation",
    "reported_on",
    "gemeente",
    "type",
    "signals",
    "status",
    "owner",
    "follow_up",
    "forwarded_to",
    "reason",
    "last_event_on",
]
EVENT_COLUMNS = [
    "happened_on",
    "kind",
    "status",
    "owner",
    "follow_up",
    "destination",
    "gemeente",
    "reason",
    "note",
    "os_user",
    "recorded_at",
]
SIGNAL_COLUMNS = ["id", "source", "ref", "reported_on", "gemeente"]

_LIST = (
    "SELECT sit.id, sit.reported_on, sit.gemeente, sit.type, sit.signal_count, coalesce(c.status, 'nieuw'), "
    "c.owner, c.follow_up, c.forwarded_to, c.reason, c.last_event_on "
    "FROM situations sit LEFT JOIN case_states c ON c.situation_id = sit.id"
)


def week_end(today: dt.date) -> dt.date:
    """The Sunday that ends today's week."""
    return today + dt.timedelta(days=6 - today.weekday())


def list_cases(
    db, selection: Filter, owner: str | None = None, due_by: dt.date | None = None, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """Cases as `cases list` shows them, in report order; `due_by`: only open
    cases with a follow-up date on or before that day, oldest date first."""
    where, params = query.where(selection, query.CASES)
    clauses = [where[len(" WHERE ") :]] if where else []
    if owner is not None:
        clauses.append("lower(c.owner) = lower(?)")
        params.append(owner.strip())
    order = "sit.reported_on, sit.id"
    if due_by is not None:
        clauses.append(f"c.follow_up <= ? AND coalesce(c.status, 'nieuw') IN ({', '.join('?' for _ in OPEN_STATES)})")
        params += [due_by.isoformat(), *OPEN_STATES]
        order = "c.follow_up, sit.reported_on, sit.id"
    sql = _LIST + (" WHERE " + " AND ".join(clauses) if clauses else "") + f" ORDER BY {order}"
    if limit:
        sql += f" LIMIT {int(limit)}"
    for row in db.conn.execute(sql, params):
        record = dict(zip(LIST_COLUMNS, row))
        record["reported_on"] = (record["reported_on"] or "")[:10]
        record["type"] = LABELS.get(record["type"], record["type"])
        yield record


def due_cases(db, today: dt.date | None = None, owner: str | None = None) -> list[dict[str, Any]]:
    """The Monday list: open cases to follow up this week or overdue, oldest first,
    with how many days overdue (negative: still to come this week)."""
    today = today or dt.date.today()
    rows = list(list_cases(db, Filter(), owner=owner, due_by=week_end(today)))
    for row in rows:
        row["days_overdue"] = (today - dt.date.fromisoformat(row["follow_up"])).days
    return rows


def events(conn, situation: int) -> list[dict[str, Any]]:
    """Every event of a situation's case, in the order recorded."""
    cursor = conn.execute(
        f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM case_events e JOIN signals s ON s.id = e.signal_id "
        "WHERE s.situation_id = ? ORDER BY e.id",
        (situation,),
    )
    return [dict(zip(EVENT_COLUMNS, row)) for row in cursor]


def case_details(db, key: str) -> dict[str, Any]:
    """`cases show`: the situation, its case, signals, ads with its numbers, every event."""
    from mhtool.phonelinks import ads_for_phones

    conn = db.conn
    situation = find_situation(conn, key)
    row = conn.execute(
        "SELECT reported_on, gemeente, type, signal_count, sources FROM situations WHERE id = ?", (situation,)
    ).fetchone()
    details: dict[str, Any] = {"situation": situation}
    if row:
        details.update(
            reported_on=row[0][:10],
            gemeente=row[1],
            type=LABELS.get(row[2], row[2]),
            signals_count=row[3],
            sources=row[4],
        )
    details.update(current(conn, situation))
    cursor = conn.execute(
        f"SELECT {', '.join(SIGNAL_COLUMNS)} FROM signals WHERE situation_id = ? ORDER BY reported_on, id", (situation,)
    )
    details["signals"] = [dict(zip(SIGNAL_COLUMNS, r)) for r in cursor]
    phones = [
        p
        for (p,) in conn.execute(
            "SELECT DISTINCT p.e164 FROM signal_phones p JOIN signals s ON s.id = p.signal_id "
            "WHERE s.situation_id = ? AND p.valid = 1 AND p.e164 IS NOT NULL",
            (situation,),
        )
    ]
    details["ads"] = [
        {k: ad[k] for k in ("site", "ad_id", "first_seen", "last_seen")} for ad in ads_for_phones(db, phones)
    ]
    details["events"] = events(conn, situation)
    return details
