"""Case history when situations are regrouped (see store/schema/later.py, m010_cases).

The store's part of case follow-up, in SQL only, so that dedupe (signals)
and purge (the store) can keep case histories without knowing the cases
area: a split leaves a note on a part that kept no history, and a purge
moves the history of a purged signal to the signals of its situation that
stay."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from mhtool.stamps import now_iso, os_user

SPLIT_NOTE = "afgesplitst van situatie {old}; de geschiedenis van de casus staat bij situatie {kept}"


def note_splits(conn: sqlite3.Connection, changes: Iterable[tuple[int, int, int]]) -> int:
    """After signals moved (signal id, old situation, new situation): a note
    on every new situation that took signals from an old one with a case
    history but kept none of that history (the events stayed with the signals
    they are keyed by). Returns the number of notes."""
    moved = {signal: old for signal, old, _ in changes}
    pairs = {(old, new) for _, old, new in changes if old != new}
    if not pairs or not conn.execute("SELECT 1 FROM case_events LIMIT 1").fetchone():
        return 0
    # every event key, its situation before the change and now; only the old situations matter
    history: dict[int, set[int]] = defaultdict(set)  # old situation -> where its keys are now
    latest: dict[int, int] = {}  # old situation -> its latest event id
    for key, now, last in conn.execute(
        "SELECT e.signal_id, s.situation_id, max(e.id) FROM case_events e JOIN signals s ON s.id = e.signal_id "
        "GROUP BY e.signal_id"
    ):
        before = moved.get(key, now)
        history[before].add(now)
        latest[before] = max(latest.get(before, 0), last)
    notes = 0
    for old, new in sorted(pairs):
        if old in history and new not in history[old]:
            kept = ", ".join(str(s) for s in sorted(history[old]))
            _add_note(conn, new, latest[old], SPLIT_NOTE.format(old=old, kept=kept))
            notes += 1
    return notes


def _add_note(conn: sqlite3.Connection, situation: int, template_event: int, note: str) -> None:
    """The split-off part starts as 'nieuw', with the owner and follow-up date
    of the case it left, so it stays on its owner's lists."""
    conn.execute(
        "INSERT INTO case_events (signal_id, happened_on, recorded_at, os_user, kind, status, owner, follow_up, note) "
        "SELECT ?, ?, ?, ?, 'afgesplitst', 'nieuw', owner, follow_up, ? FROM case_events WHERE id = ?",
        (situation, now_iso()[:10], now_iso(), os_user(), note, template_event),
    )


def keep_history(conn: sqlite3.Connection, before: str) -> None:
    """Before a purge deletes the signals reported before `before`: move the
    events keyed by such a signal to the smallest signal of its situation
    that stays. Events of situations purged as a whole go with their signals
    (ON DELETE CASCADE), notes included."""
    conn.execute(
        "UPDATE case_events SET signal_id = (SELECT min(k.id) FROM signals s JOIN signals k "
        "ON k.situation_id = s.situation_id WHERE s.id = case_events.signal_id "
        "AND substr(k.reported_on, 1, 10) >= ?) "
        "WHERE signal_id IN (SELECT id FROM signals WHERE substr(reported_on, 1, 10) < ?) "
        "AND EXISTS (SELECT 1 FROM signals s JOIN signals k ON k.situation_id = s.situation_id "
        "WHERE s.id = case_events.signal_id AND substr(k.reported_on, 1, 10) >= ?)",
        (before, before, before),
    )
