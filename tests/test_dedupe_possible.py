"""`signals dupes --possible`: pairs that share no identifier but have
something that supports them (a first name, a street, phones one digit
apart) besides municipality, dates, type and wording are not linked but
listed, ranked, with their evidence; the director settles each with link or
unlink, and an unlink takes the pair off the list for good. The same
template text about different people (an identifier disagrees) is never
listed, and neither is wording alone."""

from __future__ import annotations

import json

import pytest

CRAFTED = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Adres",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
]
FLAT = "Vrouw in een flat, steeds andere mannen op bezoek, ramen afgeplakt"
ROWS = [
    # one situation: one report with a phone and a first name, the other with the whole name
    ["P-1", "01-07-2026", "Seksuele uitbuiting", "Huizen", "", FLAT, "06-11112222", "Olena"],
    ["P-2", "04-07-2026", "Seksuele uitbuiting", "Huizen", "", FLAT + ".", "", "Olena Kowalczyk"],
    # the same template, about two different people: their names disagree
    ["N-1", "02-07-2026", "Seksuele uitbuiting", "Laren", "", FLAT, "", "Anna Visser"],
    ["N-2", "05-07-2026", "Seksuele uitbuiting", "Laren", "", FLAT, "", "Bianca Smit"],
    # one first name, but two different phones: two situations
    ["N-3", "02-07-2026", "Seksuele uitbuiting", "Eemnes", "", FLAT, "06-33334444", "Anna"],
    ["N-4", "05-07-2026", "Seksuele uitbuiting", "Eemnes", "", FLAT, "06-55556666", "Anna"],
    # the same wording, place and dates, and nothing else: not listed
    ["W-1", "02-07-2026", "Seksuele uitbuiting", "Huizen", "", FLAT, "", ""],
    # the first name, but in another municipality, or two months apart: not listed
    ["O-1", "03-07-2026", "Seksuele uitbuiting", "Blaricum", "", FLAT, "", "Olena"],
    ["T-1", "15-09-2026", "Seksuele uitbuiting", "Huizen", "", FLAT, "", "Olena"],
]


@pytest.fixture
def imported(run, files):
    path = files.csv("possible.csv", [CRAFTED, *ROWS])
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    assert "no duplicates found" in result.stdout  # nothing linked automatically


def possible(run) -> list[dict]:
    result = run("signals", "dupes", "--possible", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def pairs(rows) -> list[tuple[str, str]]:
    return [(r["a_ref"], r["b_ref"]) for r in rows]


def test_alike_pairs_without_a_shared_identifier_are_listed_ranked(imported, run):
    rows = possible(run)
    assert pairs(rows) == [("mma:P-1", "mma:P-2")]
    assert rows[0]["rank"] == 1 and rows[0]["gemeente"] == "Huizen"
    assert rows[0]["evidence"].startswith(
        "naam Olena ~ Olena Kowalczyk (+1.5); zelfde gemeente Huizen (+1); 3 dagen verschil (+1.5); "
        "zelfde soort uitbuiting (+0.5); tekst"
    )
    assert set(rows[0]) == {"rank", "a", "a_ref", "a_date", "b", "b_ref", "b_date", "gemeente", "score", "evidence"}


def test_the_order_is_by_score_then_by_days(run, files):
    # three reports naming 'Olena' in Huizen, worded differently: 2, 17 and 19 days apart
    rows = [
        ["Q-1", "01-07-2026", "Seksuele uitbuiting", "Huizen", "", "Bezoek aan huis", "", "Olena"],
        ["Q-2", "03-07-2026", "Seksuele uitbuiting", "Huizen", "", "Mannen op straat", "", "Olena"],
        ["Q-3", "20-07-2026", "Seksuele uitbuiting", "Huizen", "", "Ramen dicht", "", "Olena"],
    ]
    assert run("signals", "import", "--source", "mma", files.csv("q.csv", [CRAFTED, *rows])).exit_code == 0
    listed = possible(run)
    assert pairs(listed) == [("mma:Q-1", "mma:Q-2"), ("mma:Q-2", "mma:Q-3"), ("mma:Q-1", "mma:Q-3")]
    # 2 days: days_close; 17 and 19 days: days_near, the same score, the closer first
    assert listed[0]["score"] > listed[1]["score"] == listed[2]["score"]


def test_unlink_takes_a_pair_off_the_list_for_good(imported, run):
    assert run("signals", "unlink", "P-1", "P-2").exit_code == 0
    assert ("mma:P-1", "mma:P-2") not in pairs(possible(run))
    assert run("signals", "dedupe").exit_code == 0
    assert ("mma:P-1", "mma:P-2") not in pairs(possible(run))


def test_link_joins_them_and_the_pair_leaves_the_list(imported, run, query):
    assert run("signals", "link", "P-1", "P-2").exit_code == 0
    assert ("mma:P-1", "mma:P-2") not in pairs(possible(run))
    assert query("SELECT count(DISTINCT situation_id) FROM signals WHERE ref IN ('P-1', 'P-2')") == [(1,)]


def test_every_format(imported, run, tmp_path):
    table = run("signals", "dupes", "--possible", "--format", "table")
    assert table.exit_code == 0 and "P-1" in table.stdout
    target = tmp_path / "mogelijk.xlsx"
    assert run("signals", "dupes", "--possible", "-o", target).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o600
    csv_out = run("signals", "dupes", "--possible", "--excel")
    assert csv_out.stdout.startswith("\ufeffrank;a;a_ref")
