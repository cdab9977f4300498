"""New signals can change the pairs of old signals in the blocks they join
(signals/dedupe/shifted.py): a new signal between two old ones in a block
larger than MAX_BLOCK pushes them apart, one that makes a block large or
too common cuts its pairs, and on a one-sided key it can free a seeker to
pair with an old neighbour. The dedupe after the import must still give
what one full run gives. MAX_BLOCK, WINDOW and MAX_KEY are made tiny so
that a handful of signals shows each case; the dedupe runs in this process
(the imports, which do not depend on them, in their own)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from processes import run
from test_dedupe_incremental import outcome
from test_dedupe_incremental_window import quality

from mhtool.signals.dedupe import blocking
from mhtool.signals.dedupe.run import dedupe_all, dedupe_new
from mhtool.store.db import open_db

HEADER = quality.MMA_HEADER  # the columns of a Meld Misdaad Anoniem export, Kenteken last
SAME = "Steeds andere mannen bij de woning, ook 's nachts, ramen afgeplakt"
SEX, LABOUR, CRIME = "seksuele uitbuiting", "Arbeidsuitbuiting", "Criminele uitbuiting"
OTHER = "Een heel ander verhaal over werk in de kas en een uitzendbureau"


def signal(ref, day, category, place, text, person="", plate="", address="Kerkstraat 1", phone=""):
    return [ref, day, category, place, address, text, phone, person, plate]


# One address in Hilversum: X and Y link (neighbours in date order), the others link with nothing.
LINKED_AMONG_OTHERS = [
    signal("O1", "01-01-2025", LABOUR, "Hilversum", OTHER, "Henk Mulder"),
    signal("X", "01-06-2026", SEX, "Hilversum", SAME, "Piet Bakker"),
    signal("Y", "03-06-2026", SEX, "Hilversum", SAME, "Klaas Smit"),
    signal("O2", "01-11-2026", LABOUR, "Hilversum", OTHER + " en de bouw", "Gert Visser"),
]


def imported(db: Path, rows: list[list[str]], name: str) -> list[int]:
    """Store `rows` without dedupe (its own process); the ids added."""
    path = db.parent / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    code, _, err = run(db, "signals", "import", "--source", "mma", "--no-dedupe", path)
    assert code == 0, err
    opened = open_db(db)
    try:
        refs = [row[0] for row in rows]
        marks = ",".join("?" * len(refs))
        return [i for (i,) in opened.conn.execute(f"SELECT id FROM signals WHERE ref IN ({marks})", refs)]
    finally:
        opened.conn.close()


def dedupe(db: Path, new: list[int] | None) -> tuple:
    opened = open_db(db)
    try:
        dedupe_all(opened) if new is None else dedupe_new(opened, new)
    finally:
        opened.conn.close()
    return outcome(db)


def together(result: tuple, a: str, b: str) -> bool:
    return any(f"mma:{a}" in group and f"mma:{b}" in group for group in result[0])


def after_new(tmp_path: Path, old: list[list[str]], new: list[list[str]]) -> tuple[tuple, tuple, tuple]:
    """The outcome before the new rows, after them by the incremental
    dedupe, and after them by a full run."""
    db = tmp_path / "mh.db"
    imported(db, old, "old")
    before = dedupe(db, None)
    incremental = dedupe(db, imported(db, new, "new"))
    return before, incremental, dedupe(db, None)


@pytest.fixture
def tiny(monkeypatch) -> None:
    monkeypatch.setattr(blocking, "MAX_BLOCK", 3)
    monkeypatch.setattr(blocking, "WINDOW", 1)


def test_a_new_signal_between_two_linked_ones_pushes_them_apart(tmp_path, tiny):
    old = LINKED_AMONG_OTHERS
    new = [signal("Z", "02-06-2026", CRIME, "Hilversum", "Drugsrunners in de straat", "Henk de Wit")]
    before, incremental, full = after_new(tmp_path, old, new)
    assert together(before, "X", "Y") and not together(full, "X", "Y"), "the case this test is about"
    assert not together(full, "Z", "X"), "the new signal links with neither"
    assert incremental == full


def test_a_block_that_becomes_large_pairs_its_old_signals_no_more(tmp_path, tiny):
    old = [
        signal("X", "01-06-2026", SEX, "Hilversum", SAME, "Piet Bakker"),
        signal("O", "02-06-2026", LABOUR, "Hilversum", OTHER, "Henk Mulder"),
        signal("Y", "03-06-2026", SEX, "Hilversum", SAME, "Klaas Smit"),
    ]
    new = [signal("Z", "01-11-2026", CRIME, "Hilversum", "Drugsrunners in de straat", "Henk de Wit")]
    before, incremental, full = after_new(tmp_path, old, new)
    assert together(before, "X", "Y") and not together(full, "X", "Y"), "the case this test is about"
    assert incremental == full


def test_a_block_that_becomes_too_common_pairs_nothing(tmp_path, tiny, monkeypatch):
    monkeypatch.setattr(blocking, "MAX_KEY", 4)
    old = LINKED_AMONG_OTHERS
    new = [signal("Z", "02-11-2026", CRIME, "Hilversum", "Drugsrunners in de straat", "Henk de Wit")]
    before, incremental, full = after_new(tmp_path, old, new)
    assert together(before, "X", "Y") and not together(full, "X", "Y"), "the case this test is about"
    assert incremental == full


def test_a_seeker_freed_by_a_new_neighbour_pairs_with_an_old_one(tmp_path, tiny):
    """'A:Kerkstraat 1' (the address without the municipality): the signal
    without a place (S) meets neighbours in Hilversum and Gooise Meren, so
    it pairs with neither; the new one pushes Gooise Meren out of its
    window, and S links with its old neighbour in Hilversum."""
    old = [
        signal("H0", "01-01-2025", LABOUR, "Hilversum", OTHER),
        signal("H1", "01-06-2026", SEX, "Hilversum", SAME, plate="AB-12-CD"),
        signal("S", "02-06-2026", SEX, "", SAME),
        signal("B1", "04-06-2026", LABOUR, "Bussum", OTHER + " en de bouw"),
        signal("H2", "01-11-2026", LABOUR, "Hilversum", OTHER + ", nu in de schoonmaak"),
    ]
    new = [signal("N", "03-06-2026", CRIME, "Hilversum", "Drugsrunners in de straat", plate="XY-99-ZZ")]
    before, incremental, full = after_new(tmp_path, old, new)
    assert not together(before, "S", "H1") and together(full, "S", "H1"), "the case this test is about"
    assert not together(full, "N", "H1")
    assert incremental == full


def test_a_link_pushed_apart_on_its_phone_but_paired_on_the_masked_phone_goes(tmp_path, tiny):
    """X and Y pair on their phone ('p:', a strong key) and, being in one
    municipality, on its masked copies ('q:', weak). Pushed apart on the
    phone, they still pair on the masks, but a full run does not even score
    a pair on a weak key alone here (evidence.could_link), so the link goes."""
    phone = "06-12345678"
    old = [
        signal("O1", "01-01-2025", LABOUR, "Bussum", OTHER, address="", phone=phone),
        signal("X", "01-06-2026", SEX, "Hilversum", SAME, address="", phone=phone),
        signal("Y", "05-06-2026", SEX, "Hilversum", SAME, address="", phone=phone),
        signal("O2", "01-11-2026", LABOUR, "Huizen", OTHER + " en de bouw", address="", phone=phone),
    ]
    new = [signal("N", "03-06-2026", CRIME, "Bussum", "Drugsrunners in de straat", address="", phone=phone)]
    before, incremental, full = after_new(tmp_path, old, new)
    assert together(before, "X", "Y") and not together(full, "X", "Y"), "the case this test is about"
    assert incremental == full
