"""The audit trail: every command that writes leaves a line saying when, who,
which command and how many rows changed per table. Never arguments or
values: those may hold personal data."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from mhtool.stamps import now_iso, os_user
from mhtool.store.db import transaction

# Commands that write; only these pay for counting rows before and after.
WRITING_COMMANDS = {
    "signals import",
    "signals add",
    "signals dedupe",
    "signals link",
    "signals unlink",
    "ads import",
    "ads add",
    "ads score",
    "ads review",
    "region load",
    "db purge",
    "db restore",
    "cases set",
    "cases close",
    "cases forward",
    "ads handover",
    "ads feedback",
}
COUNTED_TABLES = (
    "signals",
    "signal_phones",
    "situations",
    "signal_matches",
    "signal_decisions",
    "ads",
    "ad_observations",
    "ad_sightings",
    "ad_scores",
    "ad_reviews",
    "imports",
    "region",
    "case_events",
    "ad_handovers",
    "ad_feedback",
)


@dataclass
class PendingAudit:
    command: str
    before: dict[str, int]
    started_at: str
    total_changes: int  # rows this connection had changed when the command started
    connection: sqlite3.Connection  # which connection that was (restore opens another)


def _counts(db) -> dict[str, int]:
    existing = set(db.table_names())
    return {
        table: db.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table in COUNTED_TABLES
        if table in existing
    }


def start_audit(db, command: str) -> PendingAudit | None:
    if command not in WRITING_COMMANDS:
        return None
    return begin_audit(db, command)


def begin_audit(db, command: str) -> PendingAudit:
    """Start an audit line for `command` whether it is a writing command or
    not: work a command does on the side (the owed dedupe that `stats`
    completes first, signals/dedupe/owed.py) has a line of its own."""
    return PendingAudit(command, _counts(db), now_iso(), db.conn.total_changes, db.conn)


def finish_audit(db, pending: PendingAudit, ok: bool) -> None:
    """Write the audit line, unless the command succeeded without writing
    anything (e.g. `ads score --no-store`): then it needs no write lock and
    leaves no line. A failed attempt is always recorded."""
    unchanged = db.conn is pending.connection and db.conn.total_changes == pending.total_changes
    if ok and unchanged:
        return
    after = _counts(db)
    changes = {
        table: after.get(table, 0) - pending.before.get(table, 0)
        for table in sorted(set(after) | set(pending.before))
        if after.get(table, 0) != pending.before.get(table, 0)
    }
    with transaction(db):
        db.conn.execute(
            "INSERT INTO audit (at, os_user, command, status, counts) VALUES (?, ?, ?, ?, ?)",
            (pending.started_at, os_user(), pending.command, "ok" if ok else "failed", json.dumps(changes)),
        )


def audit_rows(db, limit: int | None = None):
    sql = "SELECT id, at, os_user, command, status, counts FROM audit ORDER BY id DESC"
    params = []
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row))
