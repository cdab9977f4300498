"""Records entered by hand get MAN-YEAR-NNNN ids that are never handed out
twice, not even after a purge removed the record that had one."""

from __future__ import annotations

import datetime

YEAR = datetime.date.today().year


def test_ads_add_never_reuses_an_id_after_purge(run, query):
    first = run("ads", "add", "--date", "12-03-2019", "--text", "Oude advertentie van Kim")
    assert first.exit_code == 0, first.stderr
    assert f"handmatig:MAN-{YEAR}-0001: new" in first.stdout
    assert run("db", "purge", "--before", "1-1-2021", "--yes").exit_code == 0
    assert query("SELECT count(*) FROM ads") == [(0,)]
    second = run("ads", "add", "--text", "Een andere advertentie, van Noor")
    assert second.exit_code == 0, second.stderr
    assert f"handmatig:MAN-{YEAR}-0002: new" in second.stdout, "a purged ad's id was handed out again"
    assert query("SELECT count(*) FROM ad_observations") == [(1,)]


def test_signals_add_never_reuses_a_ref_after_purge(run, query):
    assert run("signals", "add", "--date", "12-03-2019", "--text", "Oud signaal", "--place", "Huizen").exit_code == 0
    assert run("db", "purge", "--before", "1-1-2021", "--yes").exit_code == 0
    result = run("signals", "add", "--text", "Nieuw signaal", "--place", "Laren")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT ref FROM signals") == [(f"MAN-{YEAR}-0002",)]


def test_manual_ids_skip_numbers_already_taken(run, query):
    """An id typed by hand that looks like the scheme's is not handed out later."""
    assert run("ads", "add", "--ad-id", f"MAN-{YEAR}-0007", "--text", "Met de hand genummerd").exit_code == 0
    result = run("ads", "add", "--text", "Volgende")
    assert f"MAN-{YEAR}-0008" in result.stdout
    other_site = run("ads", "add", "--site", "kinky.example", "--text", "Andere site")
    assert f"kinky.example:MAN-{YEAR}-0001" in other_site.stdout
