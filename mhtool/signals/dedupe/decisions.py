"""The director's corrections: `mhtool signals link A B` / `unlink A B`.

A decision is stored per pair (a < b) in `signal_decisions`, replacing an
earlier decision on the same pair, and the two situations involved are
clustered again at once. Every later dedupe run starts from the decisions:
linked pairs are joined before any evidence is weighed, and no automatic
link may put an unlinked pair into one situation.
"""

from __future__ import annotations

from dataclasses import dataclass

from mhtool.errors import MhtoolError, UsageError
from mhtool.signals.dedupe.clusters import Clusters
from mhtool.signals.dedupe.components import with_their_groups
from mhtool.signals.dedupe.run import DedupeResult, load_decisions, load_profiles, recluster
from mhtool.signals.queries import find_signal
from mhtool.stamps import now_iso, os_user
from mhtool.store.db import transaction


@dataclass
class Decided:
    a: dict  # the two signals (rows of `signals`), as the user named them
    b: dict
    situation_a: int  # their situations afterwards
    situation_b: int
    result: DedupeResult


def decide(db, key_a: str, key_b: str, decision: str) -> Decided:
    """Record 'link' or 'unlink' for two signals (id, ref or SOURCE:REF)."""
    with transaction(db):
        a, b = find_signal(db, key_a), find_signal(db, key_b)
        if a["id"] == b["id"]:
            raise UsageError("A and B are the same signal")
        pair = tuple(sorted((a["id"], b["id"])))
        conn = db.conn
        pair_situations = {a["situation_id"], b["situation_id"]}
        # every situation of their groups is grouped again (components.py); only theirs are joined or split
        profiles, situation = load_profiles(conn, with_their_groups(conn, pair_situations))
        links, unlinks = load_decisions(conn)
        scope = {i for i, s in situation.items() if s in pair_situations}
        if decision == "link":
            _check_link(pair, scope, unlinks)
        else:
            _check_unlink(pair, scope, links)
        conn.execute(
            "INSERT INTO signal_decisions (a, b, decision, decided_at, os_user) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (a, b) DO UPDATE SET decision = excluded.decision, decided_at = excluded.decided_at, "
            "os_user = excluded.os_user",
            (*pair, decision, now_iso(), os_user()),
        )
        result = recluster(conn, profiles, situation, set(profiles), dry_run=False)
        after = dict(conn.execute("SELECT id, situation_id FROM signals WHERE id IN (?, ?)", pair).fetchall())
    return Decided(a, b, after[a["id"]], after[b["id"]], result)


def _check_link(pair, scope: set[int], unlinks) -> None:
    """Joining the two situations must not join a pair the director unlinked."""
    for x, y in unlinks:
        if (x, y) != pair and x in scope and y in scope:
            raise MhtoolError(
                f"cannot link: that would put signals {x} and {y} in one situation, which you unlinked; "
                f"run 'mhtool signals link {x} {y}' first if they belong together"
            )


def _check_unlink(pair, scope: set[int], links) -> None:
    """The two must not stay joined through the director's own links."""
    clusters = Clusters(scope)
    for x, y in links:
        if (x, y) != pair and x in scope and y in scope:
            clusters.join(x, y)
    if clusters.find(pair[0]) == clusters.find(pair[1]):
        own = ", ".join(f"{x}-{y}" for x, y in links if (x, y) != pair and x in scope and y in scope)
        raise MhtoolError(
            f"cannot unlink: you linked these signals through others ({own}); unlink one of those links first"
        )
