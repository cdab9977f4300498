"""Ids for records entered by hand (`signals add`, `ads add`): MAN-YEAR-NNNN.

One scheme for every area. The last number handed out is kept in the
`counters` table and only goes up, so an id is never used twice: not after
a purge removed the record, and not when a record with that id already came
in from elsewhere.
"""

from __future__ import annotations

import datetime


def next_manual_id(conn, area: str, scope: str, taken) -> str:
    """The next free MAN-YEAR-NNNN for `area` (e.g. 'signals') within
    `scope` (a source or a site). `taken(prefix)` gives the highest number
    already stored under that prefix. Call inside the write transaction."""
    prefix = f"MAN-{datetime.date.today().year}-"
    stored = taken(prefix) or 0
    (value,) = conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value - 1) + 1 RETURNING value",
        (f"{area}:{scope}:{prefix}", stored + 1),
    ).fetchone()
    return f"{prefix}{value:04d}"


def highest_number(conn, table: str, column: str, where: str, params: tuple):
    """A `taken` for next_manual_id: the highest NNNN of `column` values that
    start with the prefix, among the rows `where` selects."""

    def taken(prefix: str) -> int | None:
        return conn.execute(
            f"SELECT max(CAST(substr({column}, ?) AS INTEGER)) FROM {table} "
            f"WHERE {where} AND {column} LIKE ? AND substr({column}, ?) GLOB '[0-9]*'",
            (len(prefix) + 1, *params, prefix + "%", len(prefix) + 1),
        ).fetchone()[0]

    return taken
