"""A pseudonymized export (`export signals|ads --pseudonymize`) leaves no
reference or record id of a signal readable; without --pseudonymize nothing
changes."""

from __future__ import annotations

import datetime
import json
import re

import pytest

KEY = "sleutel-voor-de-lekkentest-van-de-regio"
TOKEN = re.compile(r"\b[A-Z]{1,2}-[0-9a-f]{12}\b")
SIGNAL_HEADER = ["Meldingnummer", "Datum melding", "Categorie", "Plaats", "Adres", "Omschrijving",
                 "Telefoonnummer", "Betrokkenen", "Kenteken", "Link"]
AD_HEADER = ["Site", "Advertentie ID", "URL", "Datum", "Tekst", "Naam", "Leeftijd", "Telefoon", "Plaats",
             "Vergunning"]

REF = "MMA-2026-0412"


def day(days_ago: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days_ago)).strftime("%d-%m-%Y")


def export(run, what, fmt, *extra) -> list[dict] | str:
    result = run("export", what, "--format", fmt, *extra)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    if fmt == "json":
        return json.loads(result.stdout)
    return result.stdout


def rows_of(run, read_csv, what, fmt, *extra) -> list[dict]:
    out = export(run, what, fmt, *extra)
    return out if fmt == "json" else read_csv(out)


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("MHTOOL_KEY", KEY)


@pytest.fixture
def two_spellings(run, files):
    rows = [
        [f"{REF}-1", day(3), "", "Huizen", "Kerkweg 7", "Bel O6–12345678, vraag naar JAN DE VRIËS",
         "06-12345678", "Jan de Vries", "", ""],
        [f"{REF}-2", day(2), "", "Huizen", "kerkweg 7", "Nummer 0031612345678 (jan de Vries); kerkweg 7",
         "+31 6 1234 5678", "jan de vries", "", ""],
    ]
    assert run("signals", "import", "--source", "mma", "--map", "Link=url",
               files.csv("two.csv", [SIGNAL_HEADER, *rows])).exit_code == 0
    ad = [["kinky-gooi.example", "KG-1", "", day(1), "Bel 06 12 34 56 78", "JAN DE VRIES", "30", "06 12 34 56 78",
           "Huizen", ""]]
    assert run("ads", "import", files.csv("ad.csv", [AD_HEADER, *ad])).exit_code == 0


# --- references and record ids ----------------------------------------------------------------


def test_ref_and_record_ids_are_tokens(run, read_csv, key, two_spellings, monkeypatch):
    text = export(run, "signals", "csv", "--pseudonymize")
    first, second = read_csv(text)
    assert REF not in text and REF.lower() not in text.lower()
    assert re.fullmatch(r"R-[0-9a-f]{12}", first["ref"]) and first["ref"] != second["ref"]
    assert re.fullmatch(r"S-[0-9a-f]{12}", first["id"]) and first["id"] != second["id"]
    assert re.fullmatch(r"C-[0-9a-f]{12}", first["situation_id"])
    # the same key gives the same tokens; another key other ones
    assert read_csv(export(run, "signals", "csv", "--pseudonymize"))[0]["ref"] == first["ref"]
    monkeypatch.setenv("MHTOOL_KEY", "een-andere-sleutel-voor-een-andere-partner")
    assert read_csv(export(run, "signals", "csv", "--pseudonymize"))[0]["ref"] != first["ref"]


def test_without_pseudonymize_everything_stays_as_stored(run, read_csv, key, two_spellings):
    """The plain export is for the director: unchanged, every value as stored.
    (Paired with the pseudonymized export, whose ref differs.)"""
    plain = rows_of(run, read_csv, "signals", "csv")
    first = plain[0]
    assert first["ref"] == f"{REF}-1" and first["id"].isdigit() and first["situation_id"].isdigit()
    assert first["text"] == "Bel O6–12345678, vraag naar JAN DE VRIËS"
    assert first["phones"] == "'+31612345678"  # made spreadsheet safe, as before
    assert first["persons"] == "Jan de Vries"
    assert first["address"] == "Kerkweg 7" and first["place"] == "Huizen"
    (ad,) = rows_of(run, read_csv, "ads", "csv")
    assert ad["ad_id"] == "KG-1" and ad["text"] == "Bel 06 12 34 56 78" and ad["name"] == "JAN DE VRIES"
    pseudo = rows_of(run, read_csv, "signals", "csv", "--pseudonymize", "--with-text")[0]
    assert pseudo["ref"] != first["ref"]
    assert {c: pseudo[c] for c in ("reported_on", "type", "gemeente", "place", "source")} == \
        {c: first[c] for c in ("reported_on", "type", "gemeente", "place", "source")}
