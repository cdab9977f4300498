"""`mhtool ads import`: summaries, weekly re-import without duplicates, history
of phone/place/text, values read from columns or text, all-or-nothing,
--skip-bad, --dry-run, header variants."""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from mhtool.cli.root import cli

ROOT = Path(__file__).resolve().parent.parent
ADS = ROOT / "examples" / "ads"
KINKY, SEXJOBS = "kinky-gooi.example", "sexjobs-midden.example"

AD_HEADER = [
    "Site",
    "Advertentie ID",
    "Datum",
    "Tekst",
    "Naam",
    "Leeftijd",
    "Telefoon",
    "Plaats",
    "Vergunningnummer",
    "Prijs",
    "Foto hashes",
]


def ad(
    ad_id,
    date="16-11-2026",
    text=None,
    name="Anna",
    age="30",
    phone="06-12345601",
    place="Hilversum",
    licence="HV-2025-001",
    price="150",
    photos="",
    site="test.example",
):
    text = text if text is not None else f"Hoi, ik ben {name}. Ontvangst op afspraak."
    return [site, ad_id, date, text, name, age, phone, place, licence, price, photos]


SUMMARY = re.compile(
    r"(\d+) read, (\d+) new ads, (\d+) seen again, (\d+) changed, (\d+) already present, (\d+) rejected"
)


def summaries(result) -> list[tuple[int, ...]]:
    """(read, new, seen again, changed, already present, rejected) per file."""
    return [tuple(int(n) for n in m) for m in SUMMARY.findall(result.stdout)]


def future(days=1) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).strftime("%d-%m-%Y")


def table_counts(count) -> dict[str, int]:
    return {t: count(t) for t in ("ads", "ad_observations", "ad_sightings", "ad_phones", "ad_photos", "imports")}


def show(run, key) -> dict:
    result = run("ads", "show", key, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- a weekly sequence, crafted --------------------------------------------------------------

WEEK1 = [
    ad("A", "09-11-2026"),
    ad("B", "10-11-2026", name="Bella", phone="06-12345602"),
    ad("C", "11-11-2026", name="Cleo", phone="06-12345603", place="Naarden"),
    ad("D", "12-11-2026", name="Dana", phone="06-12345604", text="Hoi, ik ben Dana. Ontvangst in Huizen."),
]
WEEK2 = [
    ad("A", "16-11-2026"),  # seen again
    ad("B", "17-11-2026", name="Bella", phone="+31 6 1234 5699"),  # other phone
    ad("C", "18-11-2026", name="Cleo", phone="06-12345603", place="Bussum"),  # other place
    ad("D", "19-11-2026", name="Dana", phone="06-12345604", text="Hoi, ik ben Dana. Nu in Blaricum."),  # other text
    ad("E", "20-11-2026", name="Eva", phone="06-12345605"),  # new
]


@pytest.fixture
def two_weeks(run, files):
    first = run("ads", "import", files.csv("w46.csv", [AD_HEADER, *WEEK1]))
    second = run("ads", "import", files.csv("w47.csv", [AD_HEADER, *WEEK2]))
    return first, second


def test_summary_counts_new_seen_again_changed(two_weeks):
    first, second = two_weeks
    assert first.exit_code == 0 and second.exit_code == 0, (first.stderr, second.stderr)
    assert summaries(first) == [(4, 4, 0, 0, 0, 0)]
    assert summaries(second) == [(5, 1, 1, 3, 0, 0)]


def test_reimport_adds_sightings_never_a_second_ad(two_weeks, count, query):
    assert count("ads") == 5
    assert count("ad_sightings") == 9
    # one version of each ad, and one more for each change (B, C, D): A seen again unchanged adds none
    assert count("ad_observations") == 8
    assert query("SELECT site, ad_id, count(*) FROM ads GROUP BY site, ad_id HAVING count(*) > 1") == []
    assert query("SELECT ad_id, first_seen, last_seen FROM ads ORDER BY ad_id") == [
        ("A", "2026-11-09", "2026-11-16"),
        ("B", "2026-11-10", "2026-11-17"),
        ("C", "2026-11-11", "2026-11-18"),
        ("D", "2026-11-12", "2026-11-19"),
        ("E", "2026-11-20", "2026-11-20"),
    ]


def test_history_of_phone_place_and_text_is_kept(two_weeks, run):
    a, b, c, d = (show(run, f"test.example:{x}") for x in "ABCD")
    assert [(o["seen_on"], o["seen_until"], o["times_seen"]) for o in a["observations"]] == [
        ("2026-11-09", "2026-11-16", 2)
    ]
    assert [o["changed"] for o in a["observations"]] == [""]
    assert [o["seen_on"] for o in b["observations"]] == ["2026-11-10", "2026-11-17"]
    assert [o["phone"] for o in b["observations"]] == ["06-12345602", "+31 6 1234 5699"]
    assert "telefoon" in b["observations"][1]["changed"]
    assert b["phones"] == ["+31612345602", "+31612345699"]
    assert [o["place"] for o in c["observations"]] == ["Naarden", "Bussum"]
    assert "plaats" in c["observations"][1]["changed"] and "telefoon" not in c["observations"][1]["changed"]
    assert [o["text"] for o in d["observations"]] == [WEEK1[3][3], WEEK2[3][3]]
    assert d["observations"][1]["changed"] == "tekst"


def test_text_written_differently_is_not_a_change(run, files):
    # only case and spacing differ: the text is compared normalised
    run("ads", "import", files.csv("w1.csv", [AD_HEADER, ad("A", "09-11-2026", text="Hoi, ik ben Anna.")]))
    result = run("ads", "import", files.csv("w2.csv", [AD_HEADER, ad("A", "16-11-2026", text="hoi,  ik ben ANNA. ")]))
    assert summaries(result) == [(1, 0, 1, 0, 0, 0)]
    # the same version, seen twice (the text as first written)
    assert [(o["text"], o["times_seen"]) for o in show(run, "test.example:A")["observations"]] == [
        ("Hoi, ik ben Anna.", 2)
    ]


def test_phone_written_differently_is_not_a_change(run, files):
    run("ads", "import", files.csv("w1.csv", [AD_HEADER, ad("A", "09-11-2026", phone="06-12345601")]))
    result = run("ads", "import", files.csv("w2.csv", [AD_HEADER, ad("A", "16-11-2026", phone="0612345601")]))
    assert result.exit_code == 0, result.stderr
    assert show(run, "test.example:A")["phones"] == ["+31612345601"]  # one number
    assert summaries(result) == [(1, 0, 1, 0, 0, 0)]
    assert show(run, "test.example:A")["observations"][1]["changed"] == ""


def test_place_in_other_case_is_not_a_change(run, files):
    run("ads", "import", files.csv("w1.csv", [AD_HEADER, ad("A", "09-11-2026", place="Hilversum")]))
    result = run("ads", "import", files.csv("w2.csv", [AD_HEADER, ad("A", "16-11-2026", place="hilversum")]))
    assert result.exit_code == 0, result.stderr
    assert summaries(result) == [(1, 0, 1, 0, 0, 0)]
    assert show(run, "test.example:A")["observations"][1]["changed"] == ""


def test_same_file_twice_adds_nothing(two_weeks, run, files, count):
    before = {t: count(t) for t in ("ads", "ad_observations", "ad_sightings", "ad_phones", "ad_photos")}
    again = run("ads", "import", files.path("w47.csv"))
    assert again.exit_code == 0, again.stderr
    assert summaries(again) == [(5, 0, 0, 0, 5, 0)]
    assert {t: count(t) for t in before} == before


def test_older_export_after_a_newer_one(run, files, query):
    assert run("ads", "import", files.csv("w47.csv", [AD_HEADER, *WEEK2])).exit_code == 0
    result = run("ads", "import", files.csv("w46.csv", [AD_HEADER, *WEEK1]))
    assert result.exit_code == 0, result.stderr
    assert query("SELECT first_seen, last_seen FROM ads WHERE ad_id = 'C'") == [("2026-11-11", "2026-11-18")]
    # the latest state is still the newest observation
    listed = run("ads", "list", "--format", "json")
    place = {r["ad_id"]: r["place"] for r in json.loads(listed.stdout)}
    assert place["C"] == "Bussum"


def test_same_row_twice_in_one_file(run, files):
    result = run("ads", "import", files.csv("in.csv", [AD_HEADER, ad("A"), ad("A")]))
    assert result.exit_code == 0, result.stderr
    assert summaries(result) == [(2, 1, 0, 0, 1, 0)]


# --- the example weeks -------------------------------------------------------------------------


def _examples():
    spec = importlib.util.spec_from_file_location("make_ads_examples", ROOT / "examples" / "make_ads_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXAMPLES = _examples()
WEEKS = ("2026-W46", "2026-W47", "2026-W48")


@pytest.fixture(scope="module")
def example_db(tmp_path_factory):
    """The six example exports imported week by week (built once); returns
    (db path, {file name: summary})."""
    db = tmp_path_factory.mktemp("ex") / "ex.db"
    runner = CliRunner()
    results = {}
    for week in WEEKS:
        for name in (f"ads_kinky_{week}.csv", f"ads_sexjobs_{week}.xlsx"):
            result = runner.invoke(cli, ["--db", str(db), "ads", "import", str(ADS / name)], catch_exceptions=False)
            assert result.exit_code == 0, result.stderr
            (results[name],) = summaries(result)
    return db, results


@pytest.fixture
def examples_loaded(example_db, db_path):
    copy_db(example_db[0], db_path)
    return example_db[1]


def copy_db(source: Path, target: Path) -> None:
    """Copy a database including what is still in its WAL file."""
    with sqlite3.connect(str(source)) as src, sqlite3.connect(str(target)) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    os.chmod(target, 0o600)


def test_example_weekly_summaries(examples_loaded):
    # numbers from examples/ads/README.md ("Weeks" and "Changes between weeks")
    assert examples_loaded == {
        "ads_kinky_2026-W46.csv": (16, 16, 0, 0, 0, 0),
        "ads_sexjobs_2026-W46.xlsx": (15, 15, 0, 0, 0, 0),
        "ads_kinky_2026-W47.csv": (17, 2, 13, 2, 0, 0),
        "ads_sexjobs_2026-W47.xlsx": (16, 2, 13, 1, 0, 0),
        "ads_kinky_2026-W48.csv": (17, 2, 13, 2, 0, 0),
        "ads_sexjobs_2026-W48.xlsx": (16, 2, 11, 3, 0, 0),
    }


def test_example_weeks_make_one_ad_per_site_and_id(examples_loaded, count, query):
    assert count("ads") == len(EXAMPLES.KINKY_ADS) + len(EXAMPLES.SEXJOBS_ADS)
    assert count("ad_sightings") == 16 + 17 + 17 + 15 + 16 + 16
    per_ad = {
        (s, a): (versions, seen)
        for s, a, versions, seen in query(
            "SELECT a.site, a.ad_id, count(DISTINCT o.id), count(*) FROM ads a JOIN ad_observations o ON o.ad = a.id "
            "JOIN ad_sightings s ON s.observation = o.id GROUP BY a.id"
        )
    }
    for site, ads in ((KINKY, EXAMPLES.KINKY_ADS), (SEXJOBS, EXAMPLES.SEXJOBS_ADS)):
        for spec in ads:
            changes = [week for week in spec.get("changes", {}) if week in spec["weeks"]]
            assert per_ad[(site, spec["id"])] == (1 + len(changes), len(spec["weeks"])), spec["id"]


def test_reimporting_all_example_weeks_adds_nothing(examples_loaded, run, count):
    before = table_counts(count)
    result = run("ads", "import", *sorted(ADS.glob("ads_*")))
    assert result.exit_code == 0, result.stderr
    assert all(s[1:4] == (0, 0, 0) and s[4] == s[0] for s in summaries(result)), result.stdout
    after = table_counts(count)
    assert after["imports"] == before["imports"] + 6  # the import itself is logged
    assert {k: v for k, v in after.items() if k != "imports"} == {k: v for k, v in before.items() if k != "imports"}


def test_example_history(examples_loaded, run):
    moving = show(run, f"{KINKY}:418288")
    assert [o["place"] for o in moving["observations"]] == ["Hilversum", "Huizen", "Naarden"]
    assert [o["gemeente"] for o in moving["observations"]] == ["Hilversum", "Huizen", "Gooise Meren"]
    assert all("plaats" in o["changed"] for o in moving["observations"][1:])
    phone = show(run, f"{KINKY}:418292")
    assert [(o["phone"], o["times_seen"]) for o in phone["observations"]] == [("06-12347087", 1), ("06-12347088", 2)]
    assert [bool(o["changed"]) for o in phone["observations"]] == [False, True]
    assert phone["phones"] == ["+31612347087", "+31612347088"]
    sexjobs = show(run, f"{SEXJOBS}:SJ-205150")
    assert "telefoon" in sexjobs["observations"][-1]["changed"]
    assert sexjobs["first_seen"] == "2026-11-12" and sexjobs["last_seen"] == "2026-11-24"


def test_values_from_columns_or_from_the_text(examples_loaded, query):
    def latest(site, ad_id):
        return query(
            "SELECT o.age, o.age_from, o.licence, o.price FROM ads a JOIN ad_observations o "
            "ON o.id = a.latest_observation_id WHERE a.site = ? AND a.ad_id = ?",
            (site, ad_id),
        )[0]

    # sexjobs has no age, licence or price column: all from the text
    assert latest(SEXJOBS, "SJ-205108") == (25, "text", "HV-2025-066", 160)
    assert latest(SEXJOBS, "SJ-205127")[:3] == (None, None, None)
    # kinky: columns, and the text where a cell is empty
    assert latest(KINKY, "418203") == (38, "column", "HV-2025-031", 150)
    assert latest(KINKY, "418211")[2] == "HV-2024-118"  # empty licence cell, number in the text
    assert latest(KINKY, "418281")[3] == 120  # empty price cell, "120 euro per uur" in the text
    assert latest(KINKY, "418220")[3] == 120  # price cell "€ 120"
    assert latest(KINKY, "418296")[:2] == (31, "text")  # empty age cell, "31 jaar" in the text


def test_column_wins_over_the_text(run, files, query):
    row = ad(
        "X",
        text="Hoi, ik ben Anna, 23 jaar. Vergunningnummer: HV-2020-999. 80 euro per uur.",
        age="31",
        licence="HZ-2025-007",
        price="140",
    )
    assert run("ads", "import", files.csv("in.csv", [AD_HEADER, row])).exit_code == 0
    assert query("SELECT age, age_from, licence, price FROM ad_observations") == [(31, "column", "HZ-2025-007", 140)]


def test_text_only_xlsx_with_other_headers(run, files, query):
    header = ["Website", "Ad ID", "Link", "Scrape datum", "Kop", "Advertentietekst", "Naam", "Telefoonnummer", "Stad"]
    rows = [
        [
            SEXJOBS,
            "SJ-1",
            "https://x.example/1",
            datetime.datetime(2026, 11, 17, 5, 30),
            "Lisa (23)",
            "Hoi, ik ben Lisa. Vergunningnummer: HV-2025-066. 100 euro per uur.",
            "Lisa",
            "06 1234 5610",
            "Loosdrecht",
        ],
        [
            SEXJOBS,
            "SJ-2",
            "https://x.example/2",
            datetime.datetime(2026, 11, 18, 23, 59),
            "Mia",
            "Mia, 22 jaar, zonder vergunning. Prijs: € 90 per uur.",
            "Mia",
            "+31612345611",
            "Bussum",
        ],
    ]
    result = run("ads", "import", files.xlsx("in.xlsx", {"Advertenties": [header, *rows]}))
    assert result.exit_code == 0, result.stderr
    assert query("SELECT seen_on, age, age_from, licence, price, place, gemeente FROM ad_observations ORDER BY id") == [
        ("2026-11-17", 23, "text", "HV-2025-066", 100, "Loosdrecht", "Wijdemeren"),
        ("2026-11-18", 22, "text", None, 90, "Bussum", "Gooise Meren"),
    ]
    assert query("SELECT e164 FROM ad_phones ORDER BY observation") == [("+31612345610",), ("+31612345611",)]


def test_other_accepted_headers_semicolon_cp1252(run, files, query):
    header = [
        "Bron",
        "Advertentienummer",
        "Peildatum",
        "Beschrijving",
        "Artiestennaam",
        "Whatsapp",
        "Werkplaats",
        "Licentie",
        "Tarief",
        "Herkomst",
        "Fotohash",
        "Opmerking",
    ]
    row = [
        "privé.example",
        "P-1",
        "20 november 2026",
        "Hoi, ik ben Zoë. Ontvangst in Laren.",
        "Zoë",
        "06-12345620 / 06-12345621",
        "Laren",
        "LA-2025-001",
        "€ 130",
        "Braziliaans",
        "abc123;def456",
        "extra kolom",
    ]
    result = run("ads", "import", files.csv("in.csv", [header, row], delimiter=";", encoding="cp1252"))
    assert result.exit_code == 0, result.stderr
    assert query(
        "SELECT a.site, a.ad_id, o.seen_on, o.name, o.place, o.gemeente, o.licence, o.price, o.nationality, "
        "o.photo_hashes, o.text FROM ads a JOIN ad_observations o ON o.ad = a.id"
    ) == [
        (
            "privé.example",
            "P-1",
            "2026-11-20",
            "Zoë",
            "Laren",
            "Laren",
            "LA-2025-001",
            130,
            "Braziliaans",
            "abc123;def456",
            "Hoi, ik ben Zoë. Ontvangst in Laren.",
        ),
    ]
    assert query("SELECT e164 FROM ad_phones ORDER BY position") == [("+31612345620",), ("+31612345621",)]
    assert query("SELECT count(*) FROM ad_photos") == [(2,)]
    (raw,) = query("SELECT raw FROM ad_observations")[0]
    assert "extra kolom" in raw


def test_map_option_for_an_unknown_header(run, files, query):
    header = ["Site", "Advertentie ID", "Datum", "Tekst", "Bijnaam"]
    path = files.csv("in.csv", [header, ["s.example", "1", "16-11-2026", "Hoi, ik ben Kim.", "Kim"]])
    result = run("ads", "import", "--map", "Bijnaam=name", path)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT name FROM ad_observations") == [("Kim",)]


def test_stdin(run, files, query):
    text = "Site,Advertentie ID,Datum,Tekst\ns.example,1,16-11-2026,Hoi ik ben Kim\n"
    result = run("ads", "import", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert summaries(result) == [(1, 1, 0, 0, 0, 0)]


# --- bad rows: all or nothing, --skip-bad, --dry-run ----------------------------------------


@pytest.fixture
def preloaded(run, files, count):
    assert run("ads", "import", files.csv("w46.csv", [AD_HEADER, *WEEK1])).exit_code == 0
    return table_counts(count)


@pytest.mark.parametrize(
    "bad_row, column, reason",
    [
        (ad("Z", future()), "Datum", "future"),
        (ad("Z", text=""), "Tekst", "empty"),
        (ad("Z", "31-02-2026"), "Datum", ""),
        (ad("", "16-11-2026"), "Advertentie ID", "empty"),
        (ad("Z", site=""), "Site", "empty"),
    ],
)
def test_one_bad_row_imports_nothing(preloaded, run, files, count, bad_row, column, reason):
    path = files.csv("w47.csv", [AD_HEADER, *WEEK2[:2], bad_row, *WEEK2[2:]])
    result = run("ads", "import", path)
    assert result.exit_code == 1
    assert f"w47.csv:4: {column}:" in result.stderr
    assert reason in result.stderr.split(f"w47.csv:4: {column}:")[1].splitlines()[0]
    assert "nothing imported" in result.stderr
    assert table_counts(count) == preloaded


def test_bad_row_in_a_second_file_rolls_back_the_first(run, files, count):
    good = files.csv("good.csv", [AD_HEADER, *WEEK1])
    bad = files.csv("bad.csv", [AD_HEADER, ad("Z", future())])
    result = run("ads", "import", good, bad)
    assert result.exit_code == 1
    assert set(table_counts(count).values()) == {0}


def test_today_is_not_in_the_future(run, files, query):
    today = datetime.date.today()
    result = run("ads", "import", files.csv("in.csv", [AD_HEADER, ad("T", today.strftime("%d-%m-%Y"))]))
    assert result.exit_code == 0, result.stderr
    assert query("SELECT last_seen FROM ads") == [(today.isoformat(),)]


def test_missing_required_column(run, files, count):
    path = files.csv("in.csv", [["Site", "Advertentie ID", "Datum"], ["s", "1", "16-11-2026"]])
    result = run("ads", "import", path)
    assert result.exit_code == 1
    assert "text" in result.stderr and "Tekst" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert count("ads") == 0


def test_skip_bad_keeps_good_rows_and_writes_rejects(preloaded, run, files, count, query, read_csv):
    rejects = files.path("rejects.csv")
    path = files.csv("w47.csv", [AD_HEADER, *WEEK2[:2], ad("Z", future()), ad("Y", text=""), *WEEK2[2:]])
    result = run("ads", "import", "--skip-bad", "--rejects", rejects, path)
    assert result.exit_code == 0, result.stderr
    assert summaries(result) == [(7, 1, 1, 3, 0, 2)]
    assert count("ads") == 5 and count("ad_sightings") == 9 and count("ad_observations") == 8
    assert query("SELECT ad_id FROM ads WHERE ad_id IN ('Y', 'Z')") == []
    written = read_csv(rejects.read_text("utf-8-sig"))
    assert [(r["row"], r["column"], r["Advertentie ID"]) for r in written] == [("4", "Datum", "Z"), ("5", "Tekst", "Y")]
    assert all(r["reason"] for r in written)


def test_dry_run_writes_nothing(preloaded, run, files, count):
    result = run("ads", "import", "--dry-run", files.csv("w47.csv", [AD_HEADER, *WEEK2]))
    assert result.exit_code == 0, result.stderr
    assert summaries(result) == [(5, 1, 1, 3, 0, 0)]
    assert "not written" in result.stdout
    assert table_counts(count) == preloaded


def test_dry_run_reports_bad_rows(preloaded, run, files, count):
    result = run("ads", "import", "--dry-run", files.csv("w47.csv", [AD_HEADER, ad("Z", future())]))
    assert "w47.csv:2: Datum:" in result.stderr
    assert table_counts(count) == preloaded


def test_rejects_without_skip_bad(run, files, db_path, count):
    result = run("ads", "import", "--rejects", files.path("r.csv"), files.csv("in.csv", [AD_HEADER, ad("A")]))
    assert result.exit_code == 2
    assert "--skip-bad" in result.stderr
    assert not files.path("r.csv").exists()
    assert not db_path.exists() or count("ads") == 0


@pytest.mark.parametrize("name, data", [("missing.csv", None), ("empty.csv", b""), ("junk.xlsx", b"not a zip")])
def test_unreadable_files_give_a_clean_error(run, files, count, name, data):
    path = files.path(name) if data is None else files.bytes(name, data)
    result = run("ads", "import", path)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:") and name in result.stderr
    assert count("ads") == 0
