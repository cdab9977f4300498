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
from typing import Iterable

_RANKED = """
    SELECT s.*,
        row_number() OVER (PARTITION BY s.situation_id ORDER BY s.reported_on, s.id) AS by_date,
        row_number() OVER (PARTITION BY s.situation_id ORDER BY
            CASE s.type_origin WHEN 'given' THEN 0 WHEN 'inferred' THEN 1 ELSE 2 END, s.reported_on, s.id) AS by_type,
        row_number() OVER (PARTITION BY s.situation_id ORDER BY
            CASE s.gemeente WHEN 'onbekend' THEN 2 WHEN 'buiten regio' THEN 1 ELSE 0 END, s.reported_on, s.id) AS by_place
    FROM signals s {where}
"""

_REFRESH = """
    INSERT INTO situations (id, reported_on, type, type_origin, gemeente, cbs_code, place, source, sources,
                            signal_count, victim_gender, victim_age, victim_nationality)
    SELECT d.situation_id, d.reported_on, t.type, t.type_origin, p.gemeente, p.cbs_code, p.place, d.source,
        (SELECT group_concat(source, ',') FROM (SELECT DISTINCT source FROM signals x
             WHERE x.situation_id = d.situation_id ORDER BY source)),
        (SELECT count(*) FROM signals x WHERE x.situation_id = d.situation_id),
        (SELECT victim_gender FROM signals x WHERE x.situation_id = d.situation_id AND victim_gender IS NOT NULL
             ORDER BY reported_on, id LIMIT 1),
        (SELECT victim_age FROM signals x WHERE x.situation_id = d.situation_id AND victim_age IS NOT NULL
             ORDER BY reported_on, id LIMIT 1),
        (SELECT victim_nationality FROM signals x WHERE x.situation_id = d.situation_id
             AND victim_nationality IS NOT NULL ORDER BY reported_on, id LIMIT 1)
    FROM ranked d
    JOIN ranked t ON t.situation_id = d.situation_id AND t.by_type = 1
    JOIN ranked p ON p.situation_id = d.situation_id AND p.by_place = 1
    WHERE d.by_date = 1
"""


def refresh_situations(conn: sqlite3.Connection, situation_ids: Iterable[int] | None = None) -> None:
    """Rebuild the situations rows for these situation ids (all when None).

    Runs inside the caller's transaction when there is one."""
    if situation_ids is None:
        conn.execute("DELETE FROM situations")
        conn.execute("WITH ranked AS (" + _RANKED.format(where="") + ")" + _REFRESH)
        return
    ids = sorted(set(situation_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        conn.execute(f"DELETE FROM situations WHERE id IN ({marks})", chunk)
        where = f"WHERE s.situation_id IN ({marks})"
        conn.execute("WITH ranked AS (" + _RANKED.format(where=where) + ")" + _REFRESH, chunk)


def add_single_situations(conn: sqlite3.Connection, signal_ids: list[int]) -> None:
    """New signals start as a situation of their own: a plain copy of their
    fields, much cheaper than `refresh_situations` during a large import."""
    for start in range(0, len(signal_ids), 500):
        chunk = signal_ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        conn.execute(
            f"""
            INSERT INTO situations (id, reported_on, type, type_origin, gemeente, cbs_code, place, source,
                                    sources, signal_count, victim_gender, victim_age, victim_nationality)
            SELECT id, reported_on, type, type_origin, gemeente, cbs_code, place, source, source, 1,
                   victim_gender, victim_age, victim_nationality
            FROM signals WHERE id IN ({marks}) AND situation_id = id
            """,
            chunk,
        )
