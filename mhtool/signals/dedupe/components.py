"""Groups of linked signals that were split into several situations.

A full run groups all linked signals together (a group) before it splits
an oversized group again at stricter thresholds, or an unlink keeps two
signals apart (clusters.py). A change anywhere in such a group can regroup
all of it: a new link can make it oversized, a link that goes can make it
small enough to be grouped at the ordinary threshold again. So the dedupe
after an import, and a link or unlink, groups again every situation of the
groups it touches; `situation_components` says which situations share a
group (only those: a group of one situation is that situation).
"""

from __future__ import annotations

import json
from collections import defaultdict


def groups_owed(conn) -> bool:
    """Whether the database is older than the record (migration m016) and
    has had no full run since: then no group is known yet."""
    return conn.execute("SELECT 1 FROM backfills WHERE name = 'situation_components'").fetchone() is not None


def with_their_groups(conn, situations: set[int]) -> set[int]:
    """`situations` and every situation that shares a group with one of them."""
    given = json.dumps(sorted(situations))
    found = conn.execute(
        "SELECT situation_id FROM situation_components WHERE component_id IN "
        "(SELECT component_id FROM situation_components WHERE situation_id IN (SELECT value FROM json_each(?)))",
        (given,),
    )
    return situations | {s for (s,) in found}


def store_groups(conn, before: set[int], assigned: dict[int, int], components: dict[int, int], full: bool) -> None:
    """Record which situations of the grouped signals share a group.
    `before`: their situations before (their rows go; with `full` every row goes)."""
    if full:
        conn.execute("DELETE FROM situation_components")
        conn.execute("DELETE FROM backfills WHERE name = 'situation_components'")
    else:
        conn.executemany(
            "DELETE FROM situation_components WHERE situation_id = ?",
            [(s,) for s in sorted(before | set(assigned.values()))],
        )
    situations: dict[int, set[int]] = defaultdict(set)
    for i, group in components.items():
        situations[group].add(assigned[i])
    conn.executemany(
        "INSERT INTO situation_components (situation_id, component_id) VALUES (?, ?)",
        sorted((s, group) for group, shared in situations.items() if len(shared) > 1 for s in shared),
    )
