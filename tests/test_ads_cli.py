"""`mhtool ads list / show / add / rules`, the link between ads and signals,
spreadsheet safety of the outputs and clean errors."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from mhtool.cli.root import cli

ROOT = Path(__file__).resolve().parent.parent
SITE = "test.example"
AD_HEADER = [
    "Site",
    "Advertentie ID",
    "URL",
    "Datum",
    "Tekst",
    "Naam",
    "Leeftijd",
    "Telefoon",
    "Plaats",
    "Vergunningnummer",
    "Prijs",
]
BUILTIN_CODES = [
    "under_21",
    "age_21_25",
    "no_licence",
    "shared_phone",
    "shared_photo",
    "shared_text",
    "third_person",
    "always_available",
    "unsafe_services",
    "low_price",
    "language_origin",
    "movement",
    "obscured_phone",
    "signal_phone",
]
FORMULA_STARTS = ("=", "+", "-", "@")


def ad(
    ad_id,
    date="18-11-2026",
    *,
    site=SITE,
    text=None,
    name=None,
    age="35",
    phone="",
    place="Hilversum",
    licence="HV-2025-001",
    price="150",
    url="",
):
    name = name if name is not None else f"Anna{ad_id}"
    text = text if text is not None else f"Hoi, ik ben {name}. Ontvangst op afspraak."
    return [site, ad_id, url, date, text, name, age, phone, place, licence, price]


@pytest.fixture
def load(run, files):
    def _load(*rows, name="ads.csv"):
        result = run("ads", "import", files.csv(name, [AD_HEADER, *rows]))
        assert result.exit_code == 0, result.stderr

    return _load


def as_json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def future(days=1) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).strftime("%d-%m-%Y")


# --- ads rules -------------------------------------------------------------------------------


def test_rules_lists_every_builtin_indicator(run):
    result = run("ads", "rules", "--format", "json")
    rows = as_json(result)
    assert [r["code"] for r in rows] == BUILTIN_CODES
    for row in rows:
        assert isinstance(row["weight"], (int, float)) and row["weight"] > 0, row
        assert len(row["explanation"]) > 20, row
        assert row["source"].strip(), row
    assert "2026.2" in result.stderr and "5" in result.stderr
    weights = {r["code"]: r["weight"] for r in rows}
    # under_21 is the most severe and reaches the threshold on its own; nothing else does
    assert weights["under_21"] == max(weights.values()) == 5
    assert all(w < 5 for c, w in weights.items() if c != "under_21")


def test_rules_as_csv(run, read_csv):
    result = run("ads", "rules", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = read_csv(result.stdout)
    assert list(rows[0]) == ["code", "weight", "explanation", "source"]
    assert len(rows) == 14


# --- ads list ----------------------------------------------------------------------------------


@pytest.fixture
def listed(load):
    load(
        ad("h1", "10-11-2026", phone="06-12345601", place="Hilversum"),
        ad("h1", "17-11-2026", phone="06-12345601", place="Hilversum"),
        ad("b1", "19-11-2026", phone="06-12345602", place="Bussum", name="Roxy"),
        ad("l1", "12-11-2026", phone="06-12345603", place="Laren", text="Hoi, ik ben Lot, zeldzaam woord."),
        ad("o1", "20-11-2026", site="other.example", place="Huizen"),
    )


def list_ids(run, *args) -> list[str]:
    return [r["ad_id"] for r in as_json(run("ads", "list", "--format", "json", *args))]


def test_list_most_recently_seen_first(listed, run):
    rows = as_json(run("ads", "list", "--format", "json"))
    assert [r["ad_id"] for r in rows] == ["o1", "b1", "h1", "l1"]
    by_id = {r["ad_id"]: r for r in rows}
    assert by_id["h1"]["observations"] == 2 and by_id["h1"]["first_seen"] == "2026-11-10"
    assert by_id["b1"]["gemeente"] == "Gooise Meren"
    assert by_id["h1"]["score"] is None and by_id["h1"]["review"] is None


@pytest.mark.parametrize(
    "args, expected",
    [
        (("--site", "other.example"), ["o1"]),
        (("--gemeente", "Gooise Meren"), ["b1"]),
        (("--gemeente", "gooise meren"), ["b1"]),
        (("--since", "17-11-2026"), ["o1", "b1", "h1"]),
        (("--since", "2026-11-18"), ["o1", "b1"]),
        (("--search", "+31 6 1234 5602"), ["b1"]),  # the phone in another format
        (("--search", "0612345601"), ["h1"]),
        (("--search", "Roxy"), ["b1"]),
        (("--search", "zeldzaam"), ["l1"]),
        (("--search", "%"), []),  # no LIKE wildcard
        (("--limit", "2"), ["o1", "b1"]),
    ],
)
def test_list_filters(listed, run, args, expected):
    assert list_ids(run, *args) == expected


def test_list_shows_the_latest_score_and_review(listed, run):
    assert run("ads", "score", "--all", "--format", "csv").exit_code == 0
    assert run("ads", "review", f"{SITE}:b1", "--label", "risky").exit_code == 0
    rows = {r["ad_id"]: r for r in as_json(run("ads", "list", "--format", "json"))}
    assert rows["b1"]["score"] == 0 and rows["b1"]["risky"] == 0 and rows["b1"]["review"] == "risky"


def test_list_bad_since(listed, run):
    result = run("ads", "list", "--since", "morgen ofzo")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --since")


# --- ads show -----------------------------------------------------------------------------------


def test_show_all_observations_and_scores(listed, run):
    assert run("ads", "score", "--week", "2026-W46", "--format", "csv").exit_code == 0
    assert run("ads", "score", "--week", "2026-W47", "--format", "csv").exit_code == 0
    details = as_json(run("ads", "show", f"{SITE}:h1", "--format", "json"))
    assert (details["site"], details["ad_id"], details["first_seen"], details["last_seen"]) == (
        SITE,
        "h1",
        "2026-11-10",
        "2026-11-17",
    )
    assert details["entered"] == "import"
    # seen twice unchanged: one version, with both days
    assert [(o["seen_on"], o["seen_until"], o["times_seen"]) for o in details["observations"]] == [
        ("2026-11-10", "2026-11-17", 2)
    ]
    assert [s["period"] for s in details["scores"]] == ["2026-W46", "2026-W47"]
    assert all(s["rules_version"] == "2026.2" and isinstance(s["reasons"], list) for s in details["scores"])
    assert details["phones"] == ["+31612345601"]
    assert details["signals"] == [] and details["reviews"] == []


def test_show_as_text(listed, run):
    run("ads", "score", "--all", "--format", "csv")
    run("ads", "review", f"{SITE}:h1", "--label", "not-risky", "--note", "bekend, vergunning")
    result = run("ads", "show", f"{SITE}:h1")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "2026-11-10" in out and "2026-11-17" in out
    assert "+31612345601" in out
    assert "not-risky" in out and "bekend, vergunning" in out
    assert "Ontvangst op afspraak" in out


@pytest.mark.parametrize("key, code", [(f"{SITE}:nope", 1), ("nope.example:h1", 1), ("zonder-dubbele-punt", 2)])
def test_show_unknown_ad(listed, run, key, code):
    result = run("ads", "show", key)
    assert result.exit_code == code
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error:")


# --- ads add ---------------------------------------------------------------------------------------


def add(run, *args):
    return run("ads", "add", *args)


def test_add_stores_a_manual_ad(run, query):
    result = add(
        run,
        "--site",
        "kinky-gooi.example",
        "--ad-id",
        "KG-2001",
        "--date",
        "24-11-2026",
        "--name",
        "Mila",
        "--age",
        "22",
        "--phone",
        "06-12345678",
        "--place",
        "Bussum",
        "--price",
        "80",
        "--nationality",
        "Pools",
        "--photo-hashes",
        "aa11;bb22",
        "--url",
        "https://kinky-gooi.example/2001",
        "--title",
        "Mila",
        "--text",
        "Nieuw in Bussum, 24/7 beschikbaar",
    )
    assert result.exit_code == 0, result.stderr
    assert "kinky-gooi.example:KG-2001" in result.stdout and "new" in result.stdout
    assert query("SELECT site, ad_id, first_seen, last_seen, source FROM ads") == [
        ("kinky-gooi.example", "KG-2001", "2026-11-24", "2026-11-24", "manual")
    ]
    assert query(
        "SELECT name, age, place, gemeente, price, nationality, licence, photo_hashes FROM ad_observations"
    ) == [("Mila", 22, "Bussum", "Gooise Meren", 80, "Pools", None, "aa11;bb22")]
    assert query("SELECT e164 FROM ad_phones") == [("+31612345678",)]
    scored = {r["ad_id"]: r for r in as_json(run("ads", "score", "--all", "--no-store", "--format", "json"))}
    assert set(scored["KG-2001"]["indicators"].split(";")) >= {
        "age_21_25",
        "no_licence",
        "always_available",
        "movement",
        "language_origin",
    }


def test_add_defaults_site_id_and_date(run, query):
    assert add(run, "--text", "Hoi, ik ben Kim.").exit_code == 0
    assert add(run, "--text", "Hoi, ik ben Noor.").exit_code == 0
    today = datetime.date.today().isoformat()
    assert query("SELECT site, ad_id, first_seen FROM ads ORDER BY id") == [
        ("handmatig", f"MAN-{today[:4]}-0001", today),
        ("handmatig", f"MAN-{today[:4]}-0002", today),
    ]


def test_add_to_an_existing_ad_is_an_observation(load, run, count):
    load(ad("x", "17-11-2026", phone="06-12345601"))
    result = add(
        run,
        "--site",
        SITE,
        "--ad-id",
        "x",
        "--date",
        "18-11-2026",
        "--text",
        "Hoi, ik ben Annax. Ontvangst op afspraak.",
        "--name",
        "Annax",
        "--age",
        "35",
        "--phone",
        "06-12345609",
        "--place",
        "Hilversum",
        "--licence",
        "HV-2025-001",
        "--price",
        "150",
    )
    assert result.exit_code == 0, result.stderr
    assert "changed" in result.stdout
    assert count("ads") == 1 and count("ad_observations") == 2


@pytest.mark.parametrize(
    "args, needle",
    [
        (("--date", future(), "--text", "Hoi"), "--date"),
        (("--date", "31-02-2026", "--text", "Hoi"), "--date"),
        (("--date", "gisteren", "--text", "Hoi"), "--date"),
        (("--site", "", "--ad-id", "1", "--text", "Hoi", "--date", "18-11-2026"), "--site"),
    ],
)
def test_add_validation_errors(run, db_path, args, needle):
    result = add(run, *args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and needle in lines[0]
    if db_path.exists():
        assert sqlite3.connect(str(db_path)).execute("SELECT count(*) FROM ads").fetchone() == (0,)


def test_add_without_text(run, db_path):
    result = add(run, "--name", "Kim")
    assert result.exit_code != 0
    assert "--text" in result.stderr and result.stderr.startswith("Error:")


# --- link to signals ---------------------------------------------------------------------------

SIGNAL_AD = ("sexjobs-midden.example", "SJ-205123")


@pytest.fixture(scope="module")
def example_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("ex") / "ex.db"
    runner = CliRunner()
    commands = [
        ["ads", "import", *sorted(str(p) for p in (ROOT / "examples" / "ads").glob("ads_*"))],
        ["signals", "import", "--source", "mma", str(ROOT / "examples" / "mma_export_2026Q3.csv")],
        ["ads", "score", "--format", "csv"],
    ]
    for command in commands:
        result = runner.invoke(cli, ["--db", str(db), *command], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
    return db


@pytest.fixture
def examples_loaded(example_db, db_path):
    with sqlite3.connect(str(example_db)) as src, sqlite3.connect(str(db_path)) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    os.chmod(db_path, 0o600)


def test_ad_with_a_signal_phone_says_so(examples_loaded, run):
    rows = as_json(run("ads", "score", "--no-store", "--format", "json"))
    by_key = {(r["site"], r["ad_id"]): r for r in rows}
    row = by_key[SIGNAL_AD]
    codes = row["indicators"].split(";")
    assert "signal_phone" in codes
    reason = row["reasons"].split("; ")[codes.index("signal_phone")]
    assert "M26-100283" in reason
    others = [k for k, r in by_key.items() if "signal_phone" in r["indicators"].split(";")]
    assert others == [SIGNAL_AD]


def test_show_lists_the_signal(examples_loaded, run):
    details = as_json(run("ads", "show", ":".join(SIGNAL_AD), "--format", "json"))
    assert [(s["source"], s["ref"]) for s in details["signals"]] == [("mma", "M26-100283")]
    assert "+31687650283" in details["phones"]
    text = run("ads", "show", ":".join(SIGNAL_AD)).stdout
    assert "mma:M26-100283" in text.split("signals with the same phone number:")[1]
    # the stored W48 score carries the reason
    assert any("signal_phone" in s["indicators"] for s in details["scores"])


def test_signals_show_lists_the_ad(examples_loaded, run):
    details = as_json(run("signals", "show", "M26-100283", "--format", "json"))
    assert [(a["site"], a["ad_id"]) for a in details["ads"]] == [SIGNAL_AD]
    text = run("signals", "show", "M26-100283").stdout
    assert ":".join(SIGNAL_AD) in text.split("ads with the same phone number:")[1]


def test_signal_without_ads(examples_loaded, run):
    details = as_json(run("signals", "show", "M26-100101", "--format", "json"))
    assert details["ads"] == []


def test_signal_phone_from_a_second_source(examples_loaded, run):
    # the README says the same number is in Watch signal WN-26-0463
    result = run("signals", "import", "--source", "watch", ROOT / "examples" / "watch_export_2026Q3.xlsx")
    assert result.exit_code == 0, result.stderr
    row = {(r["site"], r["ad_id"]): r for r in as_json(run("ads", "score", "--no-store", "--format", "json"))}[
        SIGNAL_AD
    ]
    codes = row["indicators"].split(";")
    reason = row["reasons"].split("; ")[codes.index("signal_phone")]
    assert "M26-100283" in reason and "WN-26-0463" in reason


# --- spreadsheet safety ---------------------------------------------------------------------------

EVIL = [
    ad("e1", name='=HYPERLINK("http://x.example","klik")', text="=1+1 Hoi, ik ben Eva.", age="23", licence=""),
    ad("e2", name="@SUM(A1:A2)", text="@SUM(1;2) Zij is lief.", url="=cmd|' /C calc'!A0", place="-Hilversum"),
    ad("e3", name="+Mila", text="+31 6 1234 5678 bel mij", phone="+31 6 1234 5670"),
]


def _cells(rows):
    return [cell for row in rows for cell in row]


def test_formula_like_values_are_neutralised_in_csv(load, run):
    load(*EVIL)
    result = run("ads", "score", "--all", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert not [c for c in _cells(rows) if c.startswith(FORMULA_STARTS)]
    names = {row[1]: row[3] for row in rows[1:]}
    assert names == {"e1": '\'=HYPERLINK("http://x.example","klik")', "e2": "'@SUM(A1:A2)", "e3": "'+Mila"}
    urls = {row[1]: row[2] for row in rows[1:]}
    assert urls["e2"] == "'=cmd|' /C calc'!A0"


def test_formula_like_values_are_neutralised_with_excel(load, run, tmp_path):
    load(*EVIL)
    target = tmp_path / "w.csv"
    result = run("ads", "score", "--all", "--excel", "-o", target)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
    assert not [c for c in _cells(rows) if c.startswith(FORMULA_STARTS)]
    assert "'@SUM(A1:A2)" in _cells(rows)
    # the same on stdout
    result = run("ads", "score", "--all", "--excel")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff")), delimiter=";"))
    assert not [c for c in _cells(rows) if c.startswith(FORMULA_STARTS)]


def test_formula_like_values_are_neutralised_in_xlsx_and_list(load, run, tmp_path):
    from openpyxl import load_workbook

    load(*EVIL)
    target = tmp_path / "w.xlsx"
    assert run("ads", "score", "--all", "-o", target).exit_code == 0
    sheet = load_workbook(target).worksheets[0]
    values = [c for row in sheet.iter_rows() for c in row]
    assert not [c.value for c in values if c.data_type == "f"]
    assert not [c.value for c in values if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)]
    listed = run("ads", "list", "--format", "csv")
    assert not [c for c in _cells(csv.reader(io.StringIO(listed.stdout))) if c.startswith(FORMULA_STARTS)]


def test_formula_text_is_kept_as_written_in_the_database(load, run, query):
    load(*EVIL)
    assert query("SELECT text FROM ad_observations ORDER BY id")[0] == ("=1+1 Hoi, ik ben Eva.",)
    details = as_json(run("ads", "show", f"{SITE}:e1", "--format", "json"))
    assert details["observations"][0]["name"].startswith("=HYPERLINK")


# --- errors: one line, never a traceback ----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("ads", "show", f"{SITE}:none"),
        ("ads", "review", f"{SITE}:none", "--label", "risky"),
        ("ads", "evaluate"),
        ("ads", "evaluate", "--by-indicator"),
        ("ads", "score", "--week", "2026-W60"),
        ("ads", "score", "--since", "31-02-2026"),
        ("ads", "score", "--gemeente", "Nergenshuizen", "--all"),
        ("ads", "score", "--min-score", "veel"),
        ("ads", "score", "--all", "--format", "xlsx"),
        ("ads", "list", "--limit", "0"),
        ("ads", "import", "does-not-exist.csv"),
        ("ads", "add", "--date", "99-99-2026", "--text", "Hoi"),
        ("ads", "rules", "--rules", "does-not-exist.toml"),
    ],
)
def test_errors_are_one_clean_message(load, run, args):
    load(ad("a"))
    result = run(*args)  # the fixture asserts: no traceback, no internal error
    assert result.exit_code in (1, 2), (result.exit_code, result.stdout, result.stderr)
    assert "Error" in result.stderr
