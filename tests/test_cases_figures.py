"""Case figures: `mhtool stats --by status / forwarded_to / --status /
--taken-up`, and the follow-up tables for the quarterly report."""

from __future__ import annotations

import json

import pytest

from mhtool.cases.figures import follow_up_tables
from mhtool.periods import parse_period
from mhtool.store.db import open_db

ROWS = [
    ["M-1", "01-07-2026", "", "Hilversum", "Massagesalon tot laat open", "06-11112222"],
    ["M-2", "03-07-2026", "", "Laren", "Arbeiders slapen in een loods", "06-33334444"],
    ["M-3", "05-08-2026", "", "Hilversum", "Jonge vrouw haalt geld op", "06-55556666"],
    ["M-4", "06-08-2026", "", "Huizen", "Man die niet weg mag", "06-77778888"],
]


@pytest.fixture
def handled(import_mma, run):
    assert import_mma(ROWS).exit_code == 0
    for args in (
        ["forward", "1", "--to", "politie", "--date", "2-7-2026", "--follow-up", "10-7-2026"],
        ["forward", "1", "--to", "zorgcoordinator", "--date", "3-7-2026"],
        ["set", "2", "--status", "in behandeling", "--date", "4-7-2026", "--follow-up", "1-10-2026"],
        ["close", "3", "--reason", "geen mensenhandel", "--date", "20-8-2026"],
        ["forward", "4", "--to", "gemeente", "--gemeente", "Huizen", "--date", "2-10-2026"],  # next quarter
    ):
        assert run("cases", *args).exit_code == 0
    return run


def counts(run, *args):
    result = run("stats", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {tuple(v for k, v in r.items() if k != "count"): r["count"] for r in json.loads(result.stdout)}


def test_stats_by_status_and_forwarded_to(handled):
    assert counts(handled, "--by", "status") == {
        ("nieuw",): 0,
        ("in behandeling",): 1,
        ("doorgezet",): 2,
        ("afgesloten",): 1,
    }
    by_destination = counts(handled, "--by", "forwarded_to", "--period", "2026Q3")
    assert by_destination[("zorgcoordinator",)] == 1 and by_destination[("niet doorgezet",)] == 2
    assert by_destination[("politie",)] == 0  # the latest destination counts
    assert counts(handled, "--by", "gemeente", "--by", "status", "--period", "2026Q3")[("Hilversum", "afgesloten")] == 1


def test_stats_status_filters(handled):
    assert counts(handled, "--by", "gemeente", "--status", "afgesloten", "--period", "2026Q3")[("Hilversum",)] == 1
    taken = counts(handled, "--by", "gemeente", "--taken-up", "--period", "2026Q3")
    assert taken[("Hilversum",)] == 2 and taken[("Laren",)] == 1 and taken[("Huizen",)] == 1
    assert sum(counts(handled, "--by", "type", "--status", "nieuw").values()) == 0
    result = handled("stats", "--by", "gemeente", "--status", "nieuw", "--taken-up")
    assert result.exit_code == 2 and "--taken-up" in result.stderr
    assert handled("stats", "--by", "gemeente", "--status", "open").exit_code == 2


def test_follow_up_tables_for_the_quarter(handled, db_path):
    db = open_db(db_path)
    tables = {t.title: t for t in follow_up_tables(db, parse_period("2026Q3"))}
    db.conn.close()
    taken = {r["gemeente"]: r["opgepakt"] for r in tables["Casussen opgepakt"].rows}
    assert taken["Hilversum"] == 2 and taken["Laren"] == 1 and taken["Huizen"] == 0 and taken["totaal"] == 3
    forwarded = {r["bestemming"]: r["casussen"] for r in tables["Doorgezet per bestemming"].rows}
    assert forwarded["politie"] == 1 and forwarded["zorgcoordinator"] == 1 and forwarded["gemeente"] == 0
    closed = {r["reden"]: r["casussen"] for r in tables["Afgesloten per reden"].rows}
    assert closed["geen mensenhandel"] == 1 and closed["totaal"] == 1
    at_end = {r["status"]: (r["casussen"], r["over tijd"]) for r in tables["Casussen aan het eind van de periode"].rows}
    # case 4 was forwarded only in October: still new at the end of September
    assert at_end == {
        "nieuw": (1, 0),
        "in behandeling": (1, 0),
        "doorgezet": (1, 1),
        "afgesloten": (1, 0),
        "totaal": (4, 1),
    }
    assert tables["Casussen aan het eind van de periode"].columns == ["status", "casussen", "over tijd"]
