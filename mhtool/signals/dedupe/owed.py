"""The dedupe still owed: never count signals that were not deduplicated.

An import (or `signals add`) stores its signals in one transaction and links
them to their duplicates in a second one. Between the two, and whenever the
second one does not finish (Ctrl-C, a crash, `--no-dedupe`), the new
signals are each counted as their own situation. So the import records, in
its own transaction, which signals still owe their dedupe
(`dedupe_owed`: ranges of signal ids); the dedupe that links them deletes
those rows in its transaction. Whatever happens in between, the database
says what is owed, and the next command that writes signals or counts them
(`OWED_SETTLED_BY`) completes it first, with a one-line notice.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable

# Commands that complete an owed dedupe before they count or change
# situations. An import or `signals add` completes it in its own dedupe
# (unless --no-dedupe); a full `signals dedupe` covers everything.
OWED_SETTLED_BY = (
    "stats",
    "report",
    "export",
    "signals dupes",
    "signals list",
    "signals show",
    "signals link",
    "signals unlink",
    "signals decisions",
)


class DedupeInterrupted(KeyboardInterrupt):
    """Ctrl-C after something was saved: `kept` says exactly what."""

    def __init__(self, kept: str):
        super().__init__(kept)
        self.kept = kept


def record_owed(conn: sqlite3.Connection, first: int, last: int, import_id: int | None, when: str) -> None:
    """Inside the transaction that stores signals first..last."""
    conn.execute(
        "INSERT INTO dedupe_owed (first_id, last_id, import_id, since) VALUES (?, ?, ?, ?)",
        (first, last, import_id, when),
    )


def extend_owed(
    conn: sqlite3.Connection, row: int | None, first: int, last: int, import_id: int | None, when: str
) -> int:
    """Record first..last as owed, extending `row` (a range ending at first - 1)
    if given; returns the row. One row per import, not one per batch."""
    if row is not None:
        conn.execute("UPDATE dedupe_owed SET last_id = ? WHERE id = ? AND last_id = ?", (last, row, first - 1))
        if conn.execute("SELECT changes()").fetchone()[0]:
            return row
    record_owed(conn, first, last, import_id, when)
    return conn.execute("SELECT last_insert_rowid()").fetchone()[0]


def owed_ids(conn: sqlite3.Connection) -> set[int]:
    """The signals (still in the database) whose dedupe is owed."""
    return {
        i
        for (i,) in conn.execute(
            "SELECT s.id FROM dedupe_owed o JOIN signals s ON s.id BETWEEN o.first_id AND o.last_id"
        )
    }


def owed_count(conn: sqlite3.Connection) -> int:
    return conn.execute(
        "SELECT count(*) FROM dedupe_owed o JOIN signals s ON s.id BETWEEN o.first_id AND o.last_id"
    ).fetchone()[0]


def clear_owed(conn: sqlite3.Connection, ids: set[int] | None = None) -> None:
    """Inside the dedupe's transaction: `ids` (all when None) are no longer owed.
    A range partly cleared is split into what remains."""
    if ids is None:
        conn.execute("DELETE FROM dedupe_owed")
        return
    for row_id, first, last, import_id, since in conn.execute(
        "SELECT id, first_id, last_id, import_id, since FROM dedupe_owed"
    ).fetchall():
        if not any(first <= i <= last for i in ids):
            continue
        conn.execute("DELETE FROM dedupe_owed WHERE id = ?", (row_id,))
        start = None
        for i in range(first, last + 2):
            if i <= last and i not in ids:
                start = i if start is None else start
            elif start is not None:
                record_owed(conn, start, i - 1, import_id, since)
                start = None


def interrupted_message(saved: str, what: str) -> str:
    """'the import was saved (...), but linking the 15 new signals to duplicates was not finished; ...'"""
    return (
        f"{saved}, but linking {what} to duplicates was not finished; the next command that counts or changes signals does that first "
        "(or run: mhtool signals dedupe)"
    )


def settle_owed(db, command: str, say: Callable[[str], None], warn: Callable[[str], None]) -> None:
    """Before `command` counts or changes situations: complete an owed dedupe."""
    if not command.startswith(OWED_SETTLED_BY):
        return
    conn = db.conn
    try:
        count = owed_count(conn)
    except sqlite3.OperationalError:  # a database from before this table: migrated on first write
        return
    if not count:
        return
    from mhtool.signals.dedupe.run import dedupe_new
    from mhtool.signals.dedupe.summary import summary
    from mhtool.store.audit import begin_audit, finish_audit

    # Recorded in the audit trail like any other dedupe, in a line of its own
    # (the command's own line, if it writes, counts only its own work: cli/app.py).
    pending = begin_audit(db, f"signals dedupe (owed, before {command})")
    try:
        result = dedupe_new(db, [])
    except (KeyboardInterrupt, sqlite3.Error) as exc:
        with contextlib.suppress(sqlite3.Error):  # the audit never hides why the dedupe failed
            finish_audit(db, pending, ok=False)
        if isinstance(exc, KeyboardInterrupt):
            raise DedupeInterrupted(
                f"nothing was changed; {count} signals still wait to be linked to their duplicates "
                "(the next command that counts or changes signals does that first)"
            ) from None
        warn(
            f"{count} signals were never linked to their duplicates and could not be now ({exc}); "
            "the figures count each of them as its own situation until 'mhtool signals dedupe' runs"
        )
        return
    finish_audit(db, pending, ok=True)
    say(
        f"notice: {count} signals stored by an earlier command had not been linked to their duplicates; "
        f"done now: {summary(result)}"
    )
