"""A group of linked signals that the stricter grouping split into several
situations (clusters.py, MAX_CLUSTER) is grouped again as a whole when a
new signal links to one of its situations (signals/dedupe/components.py),
as a full run groups it: here MAX_CLUSTER is made 3."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest
from processes import run, scalar
from test_dedupe_incremental import outcome
from test_dedupe_shifted import CRIME, LABOUR, OTHER, SAME, SEX, after_new, signal, together

from mhtool.signals.dedupe import clusters

PHONE = "06-12345678"
# One address, close dates, the same wording, four different names: each
# two score 7.5, below the stricter 8, so the group of four is split up.
CROWD = [
    signal(f"X{n}", f"0{n}-06-2026", SEX, "Hilversum", SAME, person, phone=PHONE if n == 1 else "")
    for n, person in enumerate(["Piet Bakker", "Klaas Smit", "Henk Mulder", "Gert Visser"], 1)
]
# The same phone as X1 only, in another municipality, about something else: 6.0, linked on its own.
CALLER = signal("N", "05-06-2026", "", "Huizen", "Drugsrunners in de straat", address="", phone=PHONE)


def test_a_new_link_into_a_split_group_regroups_the_whole_group(tmp_path, monkeypatch):
    monkeypatch.setattr(clusters, "MAX_CLUSTER", 3)
    before, incremental, full = after_new(tmp_path, CROWD, [CALLER])
    assert len(before[0]) == 4 and not before[1], "the four are split into four situations"
    assert scalar(tmp_path / "mh.db", "SELECT count(DISTINCT component_id) FROM situation_components") == 1
    assert scalar(tmp_path / "mh.db", "SELECT count(*) FROM situation_components") == 5, "the five split situations"
    assert not together(full, "N", "X1"), "a full run groups the five together, and splits them again"
    assert incremental == full


def test_a_group_that_stays_small_is_grouped_at_the_ordinary_threshold(tmp_path, monkeypatch):
    """The control: without the crowd the new signal links to X1 at 6.0."""
    monkeypatch.setattr(clusters, "MAX_CLUSTER", 3)
    before, incremental, full = after_new(tmp_path, CROWD[:1], [CALLER])
    assert together(full, "N", "X1")
    assert incremental == full


def test_a_pair_of_a_split_group_pushed_apart_lets_the_group_be_one_situation_again(tmp_path, monkeypatch):
    """a1-a2 (10), a2-a3 and a3-b1 (6.5; a3-b1 only on the plate, in a large
    block) are a group of four, split up; the link a3-b1 is not stored, its
    two signals being in two situations. A new signal between a3 and b1 on
    the plate cuts it: the group of three is one situation again."""
    from mhtool.signals.dedupe import blocking

    monkeypatch.setattr(clusters, "MAX_CLUSTER", 3)
    monkeypatch.setattr(blocking, "MAX_BLOCK", 3)
    monkeypatch.setattr(blocking, "WINDOW", 1)
    plate = "AB-12-CD"
    old = [
        signal("O1", "01-01-2025", CRIME, "Laren", "Iets over een loods", address="", plate=plate),
        signal("a1", "01-06-2026", SEX, "Hilversum", SAME, address="", phone=PHONE),
        signal("a2", "02-06-2026", SEX, "Hilversum", SAME, phone=PHONE),
        signal("a3", "03-06-2026", LABOUR, "Hilversum", OTHER, plate=plate),
        signal("b1", "05-06-2026", LABOUR, "Bussum", OTHER, address="", plate=plate),
        signal("O2", "01-11-2026", CRIME, "Huizen", "Nog iets anders, een garage", address="", plate=plate),
    ]
    new = [signal("N", "04-06-2026", CRIME, "Huizen", "Drugsrunners in de straat", address="", plate=plate)]
    before, incremental, full = after_new(tmp_path, old, new)
    assert not together(before, "a1", "a3") and together(full, "a1", "a3"), "the case this test is about"
    assert incremental == full


def test_a_purge_keeps_the_split_groups_of_the_signals_that_stay(tmp_path, monkeypatch):
    """P0 and P1 (one situation, linked strongly) are one group with the
    crowd through P1; the group is split. Purged, P0 takes its situation's
    id along: the row of that situation follows to P1's id."""
    from test_dedupe_shifted import dedupe, imported

    monkeypatch.setattr(clusters, "MAX_CLUSTER", 3)
    other = "06-87654321"
    pair = [
        signal("P0", "01-01-2025", SEX, "Hilversum", SAME, "Jan Visser", phone=other),
        signal("P1", "01-06-2026", SEX, "Hilversum", SAME, "Jan Visser", phone=other),
    ]
    db = tmp_path / "mh.db"
    imported(db, [*pair, *CROWD], "all")
    result = dedupe(db, None)
    assert ["mma:P0", "mma:P1"] in result[0] and len(result[0]) == 5, "P0 and P1 together, the crowd split"
    assert scalar(db, "SELECT count(*) FROM situation_components") == 5
    assert run(db, "db", "purge", "--before", "01-01-2026", "--yes")[0] == 0
    p1 = scalar(db, "SELECT id FROM signals WHERE ref = 'P1'")
    assert scalar(db, "SELECT count(*) FROM situation_components") == 5
    assert scalar(db, "SELECT count(*) FROM situation_components WHERE situation_id = ?", (p1,)) == 1
    assert (
        scalar(db, "SELECT count(*) FROM situation_components WHERE situation_id NOT IN (SELECT id FROM situations)")
        == 0
    )


def test_a_database_from_before_the_record_asks_for_one_full_run(tmp_path):
    """Migrated from before m016, the record of split groups is empty: the
    dedupe after an import says to run `signals dedupe` once, until it ran."""
    from test_dedupe_shifted import imported

    db = tmp_path / "mh.db"
    imported(db, CROWD, "old")
    assert run(db, "signals", "dedupe")[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DROP TABLE situation_components")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm016_situation_components'")
    wanted = "run 'mhtool signals dedupe' once"
    code, _, err = run(db, "signals", "add", "--date", "01-06-2026", "--place", "Huizen", "--text", "Iets anders")
    assert code == 0 and wanted in err, err
    assert run(db, "signals", "dedupe")[0] == 0
    code, _, err = run(db, "signals", "add", "--date", "02-06-2026", "--place", "Huizen", "--text", "Nog iets")
    assert code == 0 and "dedupe:" in err and wanted not in err, err


@pytest.mark.parametrize("decision", ["link", "unlink"])
def test_a_decision_inside_a_split_group_gives_the_full_run(tmp_path, monkeypatch, decision):
    """`signals link` or `unlink` of two signals of a split group regroups
    the whole group (decisions.py): the same as a full run with that decision."""
    from test_dedupe_shifted import dedupe, imported

    from mhtool.signals.dedupe.decisions import decide
    from mhtool.store.db import open_db

    monkeypatch.setattr(clusters, "MAX_CLUSTER", 3)
    db = tmp_path / "mh.db"
    imported(db, [*CROWD, CALLER], "all")
    dedupe(db, None)
    opened = open_db(db)
    try:
        decide(opened, "mma:X1", "mma:X3" if decision == "link" else "mma:N", decision)
    finally:
        opened.conn.close()
    after = outcome(db)
    assert after == dedupe(db, None)
    assert together(after, "X1", "X3") == (decision == "link")
