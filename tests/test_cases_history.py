"""Case history follows the signals when situations merge or split (dedupe,
`signals link` / `unlink`), and the events table is append-only."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from mhtool.cases.model import Change, close_case, forward_case, set_case
from mhtool.cases.queries import case_details
from mhtool.store.db import open_db

ROWS = [
    ["M-1", "01-07-2026", "", "Hilversum", "Massagesalon tot laat open", "06-11112222"],
    ["M-2", "03-07-2026", "", "Laren", "Arbeiders slapen in een loods", "06-33334444"],
]


@pytest.fixture
def two(import_mma, db_path):
    """Two signals, two situations, each with a case history."""
    assert import_mma(ROWS).exit_code == 0
    db = open_db(db_path)
    forward_case(db, "M-1", "politie", Change(note="besproken met wijkagent", follow_up=dt.date(2026, 12, 7)))
    set_case(db, "M-2", Change(status="in behandeling", owner="J. de Vries"))
    yield db
    db.conn.close()


def situation_of(db, ref: str) -> int:
    return db.conn.execute("SELECT situation_id FROM signals WHERE ref = ?", (ref,)).fetchone()[0]


def kinds(db, ref: str) -> list[tuple[str, str]]:
    return [(e["kind"], e["status"]) for e in case_details(db, ref)["events"]]


def test_a_merge_keeps_both_histories_and_a_split_leaves_a_note(two, run):
    db = two
    assert run("signals", "link", "M-1", "M-2").exit_code == 0
    assert situation_of(db, "M-1") == situation_of(db, "M-2")
    merged = case_details(db, "M-2")
    assert [(e["kind"], e["status"]) for e in merged["events"]] == [
        ("doorgezet", "doorgezet"),
        ("status", "in behandeling"),
    ]
    assert merged["status"] == "in behandeling"  # the latest event decides
    # recorded on the merged case: it stays with the part that keeps the situation id
    set_case(db, "M-1", Change(note="samen besproken"))
    assert run("signals", "unlink", "M-1", "M-2").exit_code == 0
    assert situation_of(db, "M-1") != situation_of(db, "M-2")
    assert [e["note"] for e in case_details(db, "M-1")["events"]] == ["besproken met wijkagent", "samen besproken"]
    # M-2 had a history of its own before the merge: it goes back with it, no note needed
    assert kinds(db, "M-2") == [("status", "in behandeling")]


def test_a_part_split_off_without_history_gets_a_note(import_mma, run, db_path):
    assert import_mma(ROWS).exit_code == 0
    assert run("signals", "link", "M-1", "M-2").exit_code == 0
    db = open_db(db_path)
    kept = situation_of(db, "M-1")
    forward_case(db, "M-2", "zorgcoordinator", Change(owner="J. de Vries", follow_up=dt.date(2026, 12, 7)))
    assert run("signals", "unlink", "M-1", "M-2").exit_code == 0
    assert kinds(db, "M-1") == [("doorgezet", "doorgezet")]
    other = case_details(db, "M-2")
    assert [(e["kind"], e["status"], e["owner"], e["follow_up"]) for e in other["events"]] == [
        ("afgesplitst", "nieuw", "J. de Vries", "2026-12-07")
    ]
    assert other["events"][0]["note"] == (
        f"afgesplitst van situatie {kept}; de geschiedenis van de casus staat bij situatie {kept}"
    )
    # linking again: both histories together, nothing lost
    assert run("signals", "link", "M-1", "M-2").exit_code == 0
    assert kinds(db, "M-2") == [("doorgezet", "doorgezet"), ("afgesplitst", "nieuw")]
    db.conn.close()


def test_a_full_dedupe_run_keeps_the_history(two, run):
    assert run("signals", "dedupe").exit_code == 0
    assert kinds(two, "M-1") == [("doorgezet", "doorgezet")]
    assert kinds(two, "M-2") == [("status", "in behandeling")]


def test_events_are_never_changed(two, db_path):
    close_case(two, "M-1", "geen mensenhandel")
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        conn.execute("UPDATE case_events SET note = 'anders'")
    conn.close()
    assert [e["reason"] for e in case_details(two, "M-1")["events"]] == [None, "geen mensenhandel"]
