"""Situations: the signals about one situation, counted once.

`signals.situation_id` says which situation a signal belongs to (the smallest
signal id in it); the `situations` table holds each situation's fields for
the figures, derived from its signals:

- date: the earliest signal;
- type: a type given by a source before an inferred one, the earliest signal
  on ties;
- municipality: a known one before 'buiten regio' before 'onbekend', the
  earliest signal on ties;
- source, place and victim data: the earliest signal that has them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

# One pass of window functions; each WINDOW orders a situation's signals by one
# of the rules in the module docstring, and first_value picks the winner.
_REFRESH = """
    INSERT INTO situations (id, reported_on, type, type_origin, gemeente, cbs_code, place, source, sources,
                            signal_count, victim_gender, victim_age, victim_nationality)
    SELECT situation_id, reported_on, type, type_origin, gemeente, cbs_code, place, source,
        (SELECT group_concat(source, ',') FROM (SELECT DISTINCT source FROM signals x
             WHERE x.situation_id = w.situation_id ORDER BY source)),
        signal_count, victim_gender, victim_age, victim_nationality
    FROM (
        SELECT s.situation_id, s.reported_on, s.source,
            row_number() OVER by_date AS rank,
            first_value(s.type) OVER by_type AS type,
            first_value(s.type_origin) OVER by_type AS type_origin,
            first_value(s.gemeente) OVER by_place AS gemeente,
            first_value(s.cbs_code) OVER by_place AS cbs_code,
            first_value(s.place) OVER by_place AS place,
            count(*) OVER whole AS signal_count,
            first_value(s.victim_gender) OVER by_gender AS victim_gender,
            first_value(s.victim_age) OVER by_age AS victim_age,
            first_value(s.victim_nationality) OVER by_nationality AS victim_nationality
        FROM signals s {where}
        WINDOW
            whole AS (PARTITION BY s.situation_id),
            by_date AS (PARTITION BY s.situation_id ORDER BY s.reported_on, s.id),
            by_type AS (PARTITION BY s.situation_id ORDER BY
                CASE s.type_origin WHEN 'given' THEN 0 WHEN 'inferred' THEN 1 ELSE 2 END, s.reported_on, s.id),
            by_place AS (PARTITION BY s.situation_id ORDER BY
                CASE s.gemeente WHEN 'onbekend' THEN 2 WHEN 'buiten regio' THEN 1 ELSE 0 END, s.reported_on, s.id),
            by_gender AS (PARTITION BY s.situation_id ORDER BY s.victim_gender IS NULL, s.reported_on, s.id),
            by_age AS (PARTITION BY s.situation_id ORDER BY s.victim_age IS NULL, s.reported_on, s.id),
            by_nationality AS (PARTITION BY s.situation_id ORDER BY s.victim_nationality IS NULL, s.reported_on, s.id)
    ) w
    WHERE rank = 1
"""


def refresh_situations(conn: sqlite3.Connection, situation_ids: Iterable[int] | None = None) -> None:
    """Rebuild the situations rows for these situation ids (all when None).

    Runs inside the caller's transaction when there is one."""
    if situation_ids is None:
        conn.execute("DELETE FROM situations")
        conn.execute(_REFRESH.format(where=""))
        return
    ids = sorted(set(situation_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        conn.execute(f"DELETE FROM situations WHERE id IN ({marks})", chunk)
        where = f"WHERE s.situation_id IN ({marks})"
        conn.execute(_REFRESH.format(where=where), chunk)


_SINGLE = """
    INSERT INTO situations (id, reported_on, type, type_origin, gemeente, cbs_code, place, source,
                            sources, signal_count, victim_gender, victim_age, victim_nationality)
    SELECT id, reported_on, type, type_origin, gemeente, cbs_code, place, source, source, 1,
           victim_gender, victim_age, victim_nationality
    FROM signals WHERE {where} AND situation_id = id
"""


def add_single_situations(conn: sqlite3.Connection, signal_ids: list[int]) -> None:
    """Situations rows for signals already stored that are a situation of their own."""
    for start in range(0, len(signal_ids), 500):
        chunk = signal_ids[start : start + 500]
        conn.execute(_SINGLE.format(where=f"id IN ({', '.join('?' for _ in chunk)})"), chunk)


def add_single_situation_range(conn: sqlite3.Connection, first: int, last: int) -> None:
    """The same for the signals with ids first..last: a batch just imported
    (cheaper than `refresh_situations`, and done inside SQLite)."""
    conn.execute(_SINGLE.format(where="id BETWEEN ? AND ?"), (first, last))
