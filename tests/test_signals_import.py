"""`mhtool signals import / add / list / show`: validation, all-or-nothing,
re-import and conflicts, phones, places, type of exploitation, profiles."""

from __future__ import annotations

import datetime
import getpass
import hashlib
import json
import re

import pytest

HEADER = ["Meldingnummer", "Datum melding", "Categorie", "Plaats", "Omschrijving", "Telefoonnummer"]


def row(ref, date="01-10-2026", category="", place="Hilversum", text="Iets gezien", phones=""):
    return [ref, date, category, place, text, phones]


def future(days=30) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).strftime("%d-%m-%Y")


SUMMARY = re.compile(r"(\d+) read, (\d+) new(?: \(not written\))?, (\d+) already present, (\d+) rejected")


def summary(result) -> tuple[int, int, int, int]:
    """(read, new, already present, rejected) from the summary line."""
    found = SUMMARY.findall(result.stdout + result.stderr)
    assert len(found) == 1, (result.stdout, result.stderr)
    return tuple(int(n) for n in found[0])


def refs(query, source=None):
    if source:
        return [r[0] for r in query("SELECT ref FROM signals WHERE source = ? ORDER BY ref", (source,))]
    return [r[0] for r in query("SELECT ref FROM signals ORDER BY ref")]


# --- a clean import --------------------------------------------------------------------


def test_import_stores_fields(import_mma, query):
    result = import_mma(
        [row("M-1", "25-09-2026", "Mensenhandel - seksuele uitbuiting", "Bussum", "Vrouw in woning", "06-12345678")]
    )
    assert result.exit_code == 0, result.stderr
    assert summary(result) == (1, 1, 0, 0)
    assert query(
        "SELECT source, ref, reported_on, category, type, type_origin, place, gemeente, cbs_code, text FROM signals"
    ) == [
        (
            "mma",
            "M-1",
            "2026-09-25",
            "Mensenhandel - seksuele uitbuiting",
            "sexual",
            "given",
            "Bussum",
            "Gooise Meren",
            "GM1942",
            "Vrouw in woning",
        )
    ]


def test_import_all_optional_mma_fields(run, files, query):
    header = [
        "ID",
        "Datum",
        "Onderwerp",
        "Pleegplaats",
        "Adres",
        "Toelichting",
        "Tel",
        "Namen",
        "Kenteken",
        "Geslacht",
        "Leeftijd",
        "Nationaliteit",
    ]
    values = [
        "R-7",
        "2026-08-14",
        "Criminele uitbuiting",
        "Muiden",
        "Dorpsstraat 1",
        "Jongen moet dealen",
        "035-1234567",
        "Piet P.",
        "XX-123-Y",
        "m",
        "16",
        "Pools",
    ]
    result = run("signals", "import", "--source", "mma", files.csv("in.csv", [header, values]))
    assert result.exit_code == 0, result.stderr
    assert query(
        "SELECT ref, reported_on, type, gemeente, address, persons, vehicle, victim_gender, victim_age, victim_nationality FROM signals"
    ) == [("R-7", "2026-08-14", "criminal", "Gooise Meren", "Dorpsstraat 1", "Piet P.", "XX-123-Y", "man", 16, "Pools")]


def test_no_progress_bar_when_stderr_is_not_a_terminal(run, files):
    rows = [HEADER] + [row(f"M-{i}") for i in range(3000)]
    result = run("signals", "import", "--source", "mma", files.csv("in.csv", rows))
    assert result.exit_code == 0, result.stderr
    assert summary(result) == (3000, 3000, 0, 0)
    assert result.stderr == ""


def test_quiet_import_prints_nothing_on_stderr(run, files):
    path = files.csv("in.csv", [HEADER, row("M-1")])
    result = run("--quiet", "signals", "import", "--source", "mma", path)
    assert result.exit_code == 0
    assert result.stderr == ""


def test_imports_table(import_mma, files, query):
    result = import_mma([row("M-1"), row("M-2", phones="06-12345678")], name="export_q3.csv")
    assert result.exit_code == 0, result.stderr
    rows = query(
        "SELECT source, file_name, file_sha256, rows_read, rows_new, rows_present, rows_rejected, "
        "os_user, started_at, finished_at FROM imports"
    )
    assert len(rows) == 1
    source, file_name, sha, read, new, present, rejected, user, started, finished = rows[0]
    assert (source, file_name) == ("mma", "export_q3.csv")
    assert sha == hashlib.sha256(files.path("export_q3.csv").read_bytes()).hexdigest()
    assert (read, new, present, rejected) == (2, 2, 0, 0)
    assert user == getpass.getuser()
    assert started and finished and started <= finished
    assert query("SELECT DISTINCT import_id FROM signals") == [(1,)]


def test_several_files_in_one_import(run, files, query):
    a = files.csv("a.csv", [HEADER, row("M-1")])
    b = files.csv("b.csv", [HEADER, row("M-2"), row("M-3")])
    result = run("signals", "import", "--source", "mma", a, b)
    assert result.exit_code == 0, result.stderr
    assert refs(query) == ["M-1", "M-2", "M-3"]
    assert query("SELECT file_name, rows_new FROM imports ORDER BY id") == [("a.csv", 1), ("b.csv", 2)]


# --- all or nothing -------------------------------------------------------------------------


def test_one_bad_row_writes_nothing(import_mma, files, count):
    result = import_mma([row("M-1"), row("M-2", date="31-02-2020"), row("M-3")], name="bad.csv")
    assert result.exit_code == 1
    path = files.path("bad.csv")
    assert re.search(rf"^{re.escape(str(path))}:3: Datum melding: .+", result.stderr, re.M), result.stderr
    assert count("signals") == 0
    assert count("signal_phones") == 0
    assert count("imports") == 0


def test_row_number_counts_empty_rows(run, files, count):
    text = "Meldingnummer,Datum melding,Plaats,Omschrijving\nM-1,01-10-2026,Laren,Een\n\nM-2,bogus,Laren,Twee\n"
    path = files.text("gaps.csv", text)
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 1
    assert f"{path}:4: Datum melding:" in result.stderr
    assert f"{path}:3:" not in result.stderr
    assert count("signals") == 0


def test_row_number_counts_multiline_cells(run, files):
    text = (
        "Meldingnummer,Datum melding,Plaats,Omschrijving\n"
        'M-1,01-10-2026,Laren,"Regel een\nregel twee"\n'
        "M-2,bogus,Laren,Twee\n"
    )
    path = files.text("multi.csv", text)
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 1
    # A spreadsheet shows the quoted two-line cell as one row: M-2 is row 3.
    assert f"{path}:3: Datum melding:" in result.stderr


def test_large_file_row_numbers_and_all_or_nothing(run, files, count):
    # Big enough to be read in several chunks (and in worker processes on a multi-core machine).
    lines = ["Meldingnummer,Datum melding,Plaats,Omschrijving"]
    lines += [f"M-{i},01-10-2026,Laren,Melding {i}" for i in range(4500)]
    lines[4301] = "M-BAD,31-02-2020,Laren,Foute datum"  # spreadsheet row 4302
    lines.insert(10, "")  # an empty row: everything after it moves down one
    path = files.text("big.csv", "\n".join(lines) + "\n")
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert len(problems) == 1 and problems[0].startswith(f"{path}:4303: Datum melding:"), result.stderr
    assert count("signals") == 0

    skipped = run("signals", "import", "--source", "mma", "--skip-bad", path)
    assert skipped.exit_code == 0, skipped.stderr
    assert summary(skipped) == (4500, 4499, 0, 1)
    assert count("signals") == 4499


def test_every_bad_row_is_listed(import_mma, files, count):
    rows = [row("M-1", date="bogus"), row("M-2"), row("", date="01-10-2026"), row("M-4", text="")]
    result = import_mma(rows, name="bad.csv")
    assert result.exit_code == 1
    path = str(files.path("bad.csv"))
    assert f"{path}:2: Datum melding:" in result.stderr
    assert f"{path}:4: Meldingnummer:" in result.stderr
    assert f"{path}:5: Omschrijving:" in result.stderr
    assert f"{path}:3:" not in result.stderr
    assert count("signals") == 0


def test_future_date_is_a_row_error(import_mma, count):
    result = import_mma([row("M-1"), row("M-2", date=future())])
    assert result.exit_code == 1
    assert ":3: Datum melding:" in result.stderr
    assert count("signals") == 0


@pytest.mark.parametrize("date", ["31-02-2020", "30-02-2024", "32-01-2026", "gisteren", "2026-13-01"])
def test_impossible_or_unreadable_date(import_mma, count, date):
    result = import_mma([row("M-1", date=date)])
    assert result.exit_code == 1
    assert ":2: Datum melding:" in result.stderr
    assert count("signals") == 0


@pytest.mark.parametrize(
    "date, iso",
    [
        ("25-11-2025", "2025-11-25"),
        ("25/11/2025", "2025-11-25"),
        ("25 november 2025", "2025-11-25"),
        ("3-2-2026", "2026-02-03"),
        ("2026-02-03T14:03:00", "2026-02-03T14:03"),
    ],
)
def test_dates_day_first(import_mma, query, date, iso):
    result = import_mma([row("M-1", date=date)])
    assert result.exit_code == 0, result.stderr
    assert query("SELECT reported_on FROM signals")[0][0].startswith(iso)


def test_today_is_not_future(import_mma, query):
    today = datetime.date.today()
    result = import_mma([row("M-1", date=today.strftime("%d-%m-%Y"))])
    assert result.exit_code == 0, result.stderr
    assert query("SELECT reported_on FROM signals") == [(today.isoformat(),)]


# --- --skip-bad, --rejects, --dry-run ---------------------------------------------------------


def test_skip_bad_with_rejects(import_mma, files, query, read_csv):
    rejects = files.path("rejects.csv")
    rows = [row("M-1"), row("M-2", date="31-02-2020", text="Datum fout"), row("M-3"), row("M-4", date=future())]
    result = import_mma(rows, "--skip-bad", "--rejects", rejects, name="in.csv")
    assert result.exit_code == 0, result.stderr
    assert summary(result) == (4, 2, 0, 2)
    assert refs(query) == ["M-1", "M-3"]
    assert query("SELECT rows_read, rows_new, rows_rejected FROM imports") == [(4, 2, 2)]
    written = read_csv(rejects.read_text("utf-8-sig"))
    assert [(r["row"], r["column"]) for r in written] == [("3", "Datum melding"), ("5", "Datum melding")]
    assert all(r["reason"] for r in written)
    assert written[0]["Meldingnummer"] == "M-2"
    assert written[0]["Omschrijving"] == "Datum fout"
    assert written[0]["file"].endswith("in.csv")


def test_skip_bad_without_rejects_file(import_mma, query):
    result = import_mma([row("M-1"), row("M-2", date="bogus")], "--skip-bad")
    assert result.exit_code == 0, result.stderr
    assert refs(query) == ["M-1"]
    assert ":3: Datum melding:" in result.stderr


def test_rejects_without_skip_bad_is_usage_error(ready_db, import_mma, files, count):
    result = import_mma([row("M-1")], "--rejects", files.path("r.csv"))
    assert result.exit_code == 2
    assert "--skip-bad" in result.stderr
    assert not files.path("r.csv").exists()
    assert count("signals") == 0


def test_dry_run_writes_nothing(import_mma, count):
    result = import_mma([row("M-1"), row("M-2")], "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert summary(result)[:2] == (2, 2)
    assert count("signals") == 0
    assert count("imports") == 0


def test_dry_run_reports_bad_rows(import_mma, count):
    result = import_mma([row("M-1"), row("M-2", date="bogus")], "--dry-run")
    assert ":3: Datum melding:" in result.stderr
    assert count("signals") == 0


# --- re-import and conflicts ---------------------------------------------------------------


def test_reimport_adds_nothing(run, files, count):
    path = files.csv(
        "in.csv", [HEADER, row("M-1", phones="06-12345678"), row("M-2", phones="06-87654321; 035-1234567")]
    )
    first = run("signals", "import", "--source", "mma", path)
    assert summary(first) == (2, 2, 0, 0)
    before = (count("signals"), count("signal_phones"))
    again = run("signals", "import", "--source", "mma", path)
    assert again.exit_code == 0, again.stderr
    assert summary(again) == (2, 0, 2, 0)
    assert (count("signals"), count("signal_phones")) == before == (2, 3)


def test_reimport_xlsx_of_same_rows(run, files, count):
    csv_path = files.csv("in.csv", [HEADER, row("M-1"), row("M-2")])
    xlsx_path = files.xlsx("in.xlsx", {"Blad1": [HEADER, row("M-1"), row("M-2")]})
    assert run("signals", "import", "--source", "mma", csv_path).exit_code == 0
    again = run("signals", "import", "--source", "mma", xlsx_path)
    assert again.exit_code == 0, again.stderr
    assert summary(again) == (2, 0, 2, 0)
    assert count("signals") == 2


def test_partly_new_file(import_mma, query):
    import_mma([row("M-1")], name="week1.csv")
    result = import_mma([row("M-1"), row("M-2")], name="week2.csv")
    assert result.exit_code == 0, result.stderr
    assert summary(result) == (2, 1, 1, 0)
    assert refs(query) == ["M-1", "M-2"]


def test_same_ref_other_source_is_not_a_conflict(run, files, query):
    mma = files.csv("mma.csv", [HEADER, row("X-1", text="MMA tekst")])
    watch = files.csv(
        "watch.csv", [["Signaal ID", "Datum", "Samenvatting", "Plaats"], ["X-1", "01-10-2026", "Watch tekst", "Laren"]]
    )
    assert run("signals", "import", "--source", "mma", mma).exit_code == 0
    assert run("signals", "import", "--source", "watch", watch).exit_code == 0
    assert query("SELECT source, text FROM signals ORDER BY source") == [("mma", "MMA tekst"), ("watch", "Watch tekst")]


def test_conflict_is_reported_and_not_overwritten(import_mma, files, query):
    assert import_mma([row("M-1", text="Oude tekst")], name="old.csv").exit_code == 0
    result = import_mma([row("M-1", text="Nieuwe tekst"), row("M-2")], name="new.csv")
    assert result.exit_code == 1
    assert re.search(
        rf"{re.escape(str(files.path('new.csv')))}:2: Meldingnummer: .*(different|conflict)", result.stderr
    )
    assert query("SELECT ref, text FROM signals") == [("M-1", "Oude tekst")]


def test_conflict_with_skip_bad(import_mma, query):
    assert import_mma([row("M-1", text="Oude tekst")], name="old.csv").exit_code == 0
    result = import_mma([row("M-1", text="Nieuwe tekst"), row("M-2")], "--skip-bad", name="new.csv")
    assert result.exit_code == 0, result.stderr
    assert summary(result) == (2, 1, 0, 1)
    assert query("SELECT ref, text FROM signals ORDER BY ref") == [("M-1", "Oude tekst"), ("M-2", "Iets gezien")]


def test_conflict_goes_to_rejects_file(import_mma, files, query, read_csv):
    assert import_mma([row("M-1", text="Oude tekst")], name="old.csv").exit_code == 0
    rejects = files.path("rejects.csv")
    result = import_mma(
        [row("M-2"), row("M-1", text="Nieuwe tekst")], "--skip-bad", "--rejects", rejects, name="new.csv"
    )
    assert result.exit_code == 0, result.stderr
    written = read_csv(rejects.read_text("utf-8-sig"))
    assert len(written) == 1
    assert (written[0]["row"], written[0]["column"]) == ("3", "Meldingnummer")
    assert written[0]["Meldingnummer"] == "M-1"
    assert written[0]["Omschrijving"] == "Nieuwe tekst"
    assert query("SELECT text FROM signals WHERE ref = 'M-1'") == [("Oude tekst",)]


def test_conflict_in_large_file(run, files, query):
    rows = [HEADER] + [row(f"M-{i}", text=f"Tekst {i}") for i in range(4200)]
    first = run("signals", "import", "--source", "mma", files.csv("week1.csv", rows))
    assert first.exit_code == 0, first.stderr
    rows[3001] = row("M-3000", text="Gewijzigd")  # spreadsheet row 3002
    rows.append(row("M-NEW"))
    path = files.csv("week2.csv", rows)
    result = run("signals", "import", "--source", "mma", "--skip-bad", path)
    assert result.exit_code == 0, result.stderr
    assert summary(result) == (4201, 1, 4199, 1)
    assert f"{path}:3002: Meldingnummer:" in result.stderr
    assert query("SELECT text FROM signals WHERE ref = 'M-3000'") == [("Tekst 3000",)]
    assert query("SELECT count(*) FROM signals") == [(4201,)]


def test_conflict_on_changed_phone(import_mma, query):
    assert import_mma([row("M-1", phones="06-12345678")]).exit_code == 0
    result = import_mma([row("M-1", phones="06-87654321")])
    assert result.exit_code == 1
    assert query("SELECT e164 FROM signal_phones") == [("+31612345678",)]


def test_same_ref_twice_in_one_file(import_mma, query):
    result = import_mma([row("M-1", text="Eerste"), row("M-1", text="Tweede")])
    assert result.exit_code == 1
    assert ":3: Meldingnummer:" in result.stderr
    assert query("SELECT count(*) FROM signals") == [(0,)]


# --- phone numbers -------------------------------------------------------------------------------


def test_phones_stored_e164(import_mma, query):
    result = import_mma([row("M-1", phones="06-12345678; +32 470 12 34 56 of 0031 35 123 4567")])
    assert result.exit_code == 0, result.stderr
    assert query("SELECT position, raw, e164, valid FROM signal_phones ORDER BY position") == [
        (0, "06-12345678", "+31612345678", 1),
        (1, "+32 470 12 34 56", "+32470123456", 1),
        (2, "0031 35 123 4567", "+31351234567", 1),
    ]


def test_invalid_phone_kept_with_warning(import_mma, query):
    result = import_mma([row("M-1", phones="12345")])
    assert result.exit_code == 0, result.stderr
    assert re.search(r"warning: .*:2: Telefoonnummer: .*not valid", result.stderr)
    assert query("SELECT raw, valid FROM signal_phones") == [("12345", 0)]
    assert query("SELECT count(*) FROM signals") == [(1,)]


def test_invalid_phone_listed_as_written(import_mma, run):
    assert import_mma([row("M-1", phones="12345")]).exit_code == 0
    listed = json.loads(run("signals", "list", "--format", "json").stdout)
    assert listed[0]["phones"] == "12345"
    shown = run("signals", "show", "M-1")
    assert "+3112345" not in shown.stdout


# --- places ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "place, gemeente",
    [
        ("Bussum", "Gooise Meren"),
        ("'s-Graveland", "Wijdemeren"),
        ("s Graveland", "Wijdemeren"),
        ("NIEUW-LOOSDRECHT", "Wijdemeren"),
        ("Amersfoort", "buiten regio"),
    ],
)
def test_place_mapped(import_mma, query, place, gemeente):
    result = import_mma([row("M-1", place=place)])
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr
    assert query("SELECT place, gemeente FROM signals") == [(place, gemeente)]


@pytest.mark.parametrize("place", ["Atlantis", ""])
def test_unknown_place_counts_under_onbekend(import_mma, query, place):
    result = import_mma([row("M-1", place=place)])
    assert result.exit_code == 0, result.stderr
    assert re.search(r"warning: .*:2: Plaats: .*onbekend", result.stderr), result.stderr
    assert query("SELECT gemeente FROM signals") == [("onbekend",)]
    assert query("SELECT place FROM signals")[0][0] in ((place or None),)


def test_gemeente_column(run, files, query):
    header = ["Meldingnummer", "Datum melding", "Gemeente", "Omschrijving"]
    result = run(
        "signals",
        "import",
        "--source",
        "mma",
        files.csv("in.csv", [header, ["M-1", "01-10-2026", "gooise meren", "x"]]),
    )
    assert result.exit_code == 0, result.stderr
    assert query("SELECT gemeente, place FROM signals") == [("Gooise Meren", None)]


def test_no_place_column_warns_once(run, files, query):
    header = ["Meldingnummer", "Datum melding", "Omschrijving"]
    rows = [header, ["M-1", "01-10-2026", "x"], ["M-2", "02-10-2026", "y"]]
    result = run("signals", "import", "--source", "mma", files.csv("in.csv", rows))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("warning") == 1
    assert query("SELECT DISTINCT gemeente FROM signals") == [("onbekend",)]


# --- type of exploitation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "category, text, type_, origin",
    [
        ("Mensenhandel - seksuele uitbuiting", "Vrouw in woning", "sexual", "given"),
        ("Arbeidsuitbuiting", "Vrouw in woning", "labour", "given"),
        ("Criminele uitbuiting", "Iets gezien", "criminal", "given"),
        ("Gedwongen huwelijk", "Iets gezien", "other", "given"),
        ("Mensenhandel", "Meisje heeft een loverboy", "sexual", "inferred"),
        ("Uitbuiting", "Arbeidsmigranten via uitzendbureau in de kas", "labour", "inferred"),
        ("", "Jongen werkt als drugsrunner", "criminal", "inferred"),
        ("", "Dreigende uithuwelijking", "other", "inferred"),
        ("Mensenhandel", "Iets vreemds gezien", "unknown", "none"),
    ],
)
def test_type_of_exploitation(import_mma, query, category, text, type_, origin):
    result = import_mma([row("M-1", category=category, text=text)])
    assert result.exit_code == 0, result.stderr
    assert query("SELECT type, type_origin, category FROM signals") == [(type_, origin, category or None)]


def test_keywords_file_override(import_mma, files, query):
    keywords = files.text(
        "kw.toml",
        '[category]\nsexual = ["seksuele uitbuiting"]\nlabour = []\ncriminal = []\nother = []\n'
        'generic = ["mensenhandel"]\n\n'
        '[text]\nsexual = []\nlabour = ["loverboy"]\ncriminal = []\nother = []\n',
    )
    result = import_mma([row("M-1", category="Mensenhandel", text="Meisje heeft een loverboy")], "--keywords", keywords)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT type, type_origin FROM signals") == [("labour", "inferred")]


def test_keywords_file_bad(import_mma, files, count):
    bad = files.text("kw.toml", "[category\nnot toml")
    result = import_mma([row("M-1")], "--keywords", bad)
    assert result.exit_code == 1
    assert "kw.toml" in result.stderr
    assert count("signals") == 0


def test_list_shows_dutch_label(import_mma, run, read_csv):
    import_mma([row("M-1", category="Mensenhandel", text="Meisje heeft een loverboy")])
    rows = read_csv(run("signals", "list", "--format", "csv").stdout)
    assert rows[0]["type"] == "seksuele uitbuiting"
    shown = json.loads(run("signals", "show", "M-1", "--format", "json").stdout)
    assert shown["type"] == "sexual"
    assert shown["type_origin"] == "inferred"
    assert "seksuele uitbuiting" in run("signals", "show", "M-1").stdout


# --- other sources: profiles -------------------------------------------------------------------


VT_PROFILE = """
source = "veiligthuis"
date_order = "{order}"

[headers]
ref = ["Dossiernummer", "Dossier nr"]
reported_on = ["Datum binnenkomst"]
text = ["Samenvatting casus"]
place = ["Woonplaats cliënt"]
phones = ["Telefoon melder"]

[fixed]
category = "Arbeidsuitbuiting"
"""
VT_HEADER = ["Dossier nr.", "Datum binnenkomst", "Samenvatting casus", "Woonplaats cliënt", "Telefoon melder", "Team"]


def test_profile_import(run, files, query):
    profile = files.text("vt.toml", VT_PROFILE.format(order="dmy"))
    data = files.csv(
        "vt.csv",
        [VT_HEADER, ["VT-1", "05-11-2026", "Man slaapt op de werkplek", "Huizen", "06-12345678", "Gooi"]],
        delimiter=";",
    )
    result = run("signals", "import", "--source", "veiligthuis", "--profile", profile, data)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT source, ref, reported_on, category, type, type_origin, gemeente FROM signals") == [
        ("veiligthuis", "VT-1", "2026-11-05", "Arbeidsuitbuiting", "labour", "given", "Huizen")
    ]
    assert query("SELECT e164 FROM signal_phones") == [("+31612345678",)]
    raw = json.loads(query("SELECT raw FROM signals")[0][0])
    assert raw["Team"] == "Gooi"
    assert query("SELECT source FROM imports") == [("veiligthuis",)]


def test_profile_date_order(run, files, query):
    profile = files.text("vt.toml", VT_PROFILE.format(order="mdy"))
    data = files.csv("vt.csv", [VT_HEADER, ["VT-1", "11/05/2026", "Tekst", "Huizen", "", ""]])
    result = run("signals", "import", "--source", "veiligthuis", "--profile", profile, data)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT reported_on FROM signals") == [("2026-11-05",)]


def test_profile_validation_applies(run, files, count):
    profile = files.text("vt.toml", VT_PROFILE.format(order="dmy"))
    data = files.csv("vt.csv", [VT_HEADER, ["VT-1", "31-02-2020", "Tekst", "Huizen", "", ""]])
    result = run("signals", "import", "--source", "veiligthuis", "--profile", profile, data)
    assert result.exit_code == 1
    assert f"{data}:2: Datum binnenkomst:" in result.stderr
    assert count("signals") == 0


def test_profile_missing_required_field(run, files):
    profile = files.text("vt.toml", 'source = "vt"\n[headers]\nref = ["Dossier"]\ntext = ["Tekst"]\n')
    data = files.csv("vt.csv", [["Dossier", "Tekst"], ["1", "x"]])
    result = run("signals", "import", "--source", "vt", "--profile", profile, data)
    assert result.exit_code == 1
    assert "reported_on" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_profile_not_found(run, files, tmp_path):
    data = files.csv("vt.csv", [["Dossier"], ["1"]])
    result = run("signals", "import", "--source", "vt", "--profile", tmp_path / "nope.toml", data)
    assert result.exit_code == 1
    assert "nope.toml" in result.stderr


# --- signals add -------------------------------------------------------------------------------------


def test_add_on_fresh_database(run, query):
    result = run("signals", "add", "--text", "Tekst", "--date", "01-10-2026", "--place", "Huizen")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT gemeente FROM signals") == [("Huizen",)]


@pytest.fixture
def ready_db(run):
    """A database whose region table is already stored (works around the bug above)."""
    assert run("region", "show").exit_code == 0


def test_add_manual_signal(ready_db, run, query):
    today = datetime.date.today()
    result = run(
        "signals",
        "add",
        "--text",
        "Buren zien steeds andere mannen",
        "--date",
        today.strftime("%d-%m-%Y"),
        "--place",
        "Bussum",
        "--phones",
        "06-12345678",
        "--reporter",
        "wijkagent",
    )
    assert result.exit_code == 0, result.stderr
    expected_ref = f"MAN-{today.year}-0001"
    assert expected_ref in result.stdout
    assert query("SELECT source, ref, reported_on, place, gemeente, reporter, text, type FROM signals") == [
        (
            "manual",
            expected_ref,
            today.isoformat(),
            "Bussum",
            "Gooise Meren",
            "wijkagent",
            "Buren zien steeds andere mannen",
            "unknown",
        )
    ]
    assert query("SELECT e164 FROM signal_phones") == [("+31612345678",)]

    second = run("signals", "add", "--text", "Nog een", "--date", today.strftime("%d-%m-%Y"), "--place", "Laren")
    assert second.exit_code == 0, second.stderr
    assert refs(query) == [f"MAN-{today.year}-0001", f"MAN-{today.year}-0002"]


def test_add_infers_type(ready_db, run, query):
    result = run(
        "signals",
        "add",
        "--text",
        "Escort advertentie, mogelijk minderjarig",
        "--date",
        "01-10-2026",
        "--place",
        "Huizen",
    )
    assert result.exit_code == 0, result.stderr
    assert query("SELECT type, type_origin FROM signals") == [("sexual", "inferred")]
    assert "seksuele uitbuiting" in result.stdout


@pytest.mark.parametrize("date", ["31-02-2026", "morgen-ofzo", None])
def test_add_bad_date(ready_db, run, count, date):
    date = date or future()
    result = run("signals", "add", "--text", "Tekst", "--date", date, "--place", "Huizen")
    assert result.exit_code == 1
    assert "--date" in result.stderr
    assert count("signals") == 0


def test_add_without_text(ready_db, run, count):
    result = run("signals", "add", "--date", "01-10-2026", "--place", "Huizen")
    assert result.exit_code == 2
    assert "--text" in result.stderr
    assert count("signals") == 0


def test_add_duplicate_ref(ready_db, run, query):
    assert run("signals", "add", "--ref", "T-1", "--text", "Een", "--date", "01-10-2026").exit_code == 0
    result = run("signals", "add", "--ref", "T-1", "--text", "Twee", "--date", "01-10-2026")
    assert result.exit_code == 1
    assert query("SELECT text FROM signals") == [("Een",)]


# --- signals list / show ---------------------------------------------------------------------


@pytest.fixture
def several(run, files):
    rows = [
        HEADER,
        row("M-1", "05-07-2026", "Mensenhandel - seksuele uitbuiting", "Bussum", "Vrouw in woning", "06-12345678"),
        row("M-2", "15-08-2026", "Arbeidsuitbuiting", "Hilversum", "Werkers in de kas", ""),
        row("M-3", "30-09-2026", "", "Amersfoort", "Jongen moet dealen", "035-1234567"),
        row("M-4", "01-10-2026", "", "Naarden", "Escort op hotelkamer", ""),
    ]
    assert run("signals", "import", "--source", "mma", files.csv("mma.csv", rows)).exit_code == 0
    watch = [
        ["Signaal ID", "Datum", "Samenvatting", "Plaats"],
        ["WN-1", "10-08-2026", "Loverboy zoekt meisjes", "Huizen"],
    ]
    assert run("signals", "import", "--source", "watch", files.csv("watch.csv", watch)).exit_code == 0


def listed(run, *args):
    result = run("signals", "list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [r["ref"] for r in json.loads(result.stdout)]


def test_list_all_oldest_first(run, several):
    assert listed(run) == ["M-1", "WN-1", "M-2", "M-3", "M-4"]


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--source", "watch"], ["WN-1"]),
        (["--source", "mma"], ["M-1", "M-2", "M-3", "M-4"]),
        (["--gemeente", "Gooise Meren"], ["M-1", "M-4"]),
        (["--gemeente", "gooise meren"], ["M-1", "M-4"]),
        (["--gemeente", "buiten regio"], ["M-3"]),
        (["--type", "sexual"], ["M-1", "WN-1", "M-4"]),
        (["--type", "seksuele uitbuiting"], ["M-1", "WN-1", "M-4"]),
        (["--type", "criminal"], ["M-3"]),
        (["--from", "10-08-2026"], ["WN-1", "M-2", "M-3", "M-4"]),
        (["--to", "2026-08-15"], ["M-1", "WN-1", "M-2"]),
        (["--from", "1-8-2026", "--to", "30-9-2026"], ["WN-1", "M-2", "M-3"]),
        (["--search", "kas"], ["M-2"]),
        (["--search", "LOVERBOY"], ["WN-1"]),
        (["--search", "06 1234 5678"], ["M-1"]),
        (["--search", "+31 6 12345678"], ["M-1"]),
        (["--search", "0031351234567"], ["M-3"]),
        (["--search", "Naarden"], ["M-4"]),
        (["--source", "mma", "--type", "sexual", "--gemeente", "Gooise Meren", "--from", "1-9-2026"], ["M-4"]),
        (["--search", "niets dat bestaat"], []),
    ],
)
def test_list_filters(run, several, args, expected):
    assert listed(run, *args) == expected


def test_list_future_to_date_allowed(run, several):
    assert listed(run, "--to", future(400)) == ["M-1", "WN-1", "M-2", "M-3", "M-4"]


def test_list_csv_columns(run, several, read_csv):
    result = run("signals", "list", "--format", "csv", "--source", "mma")
    header = result.stdout.splitlines()[0].split(",")
    assert header[:9] == ["id", "source", "ref", "reported_on", "type", "gemeente", "place", "phones", "text"]
    rows = read_csv(result.stdout)
    assert [(r["ref"], r["reported_on"], r["gemeente"], r["place"]) for r in rows] == [
        ("M-1", "2026-07-05", "Gooise Meren", "Bussum"),
        ("M-2", "2026-08-15", "Hilversum", "Hilversum"),
        ("M-3", "2026-09-30", "buiten regio", "Amersfoort"),
        ("M-4", "2026-10-01", "Gooise Meren", "Naarden"),
    ]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["reported_on"]) for r in rows)


def test_show_by_id_and_ref(run, several, query):
    signal_id = query("SELECT id FROM signals WHERE ref = 'M-1'")[0][0]
    by_id = json.loads(run("signals", "show", str(signal_id), "--format", "json").stdout)
    by_ref = json.loads(run("signals", "show", "M-1", "--format", "json").stdout)
    assert by_id == by_ref
    assert by_ref["ref"] == "M-1"
    assert by_ref["source"] == "mma"
    assert by_ref["reported_on"] == "2026-07-05"
    assert by_ref["category"] == "Mensenhandel - seksuele uitbuiting"
    assert by_ref["phones"][0]["e164"] == "+31612345678"
    assert by_ref["raw"]["Telefoonnummer"] == "06-12345678"


def test_show_table(run, several):
    result = run("signals", "show", "M-1")
    assert result.exit_code == 0
    assert "Vrouw in woning" in result.stdout
    assert "+31612345678" in result.stdout
    assert "Bussum" in result.stdout


def test_show_unknown(run, several):
    result = run("signals", "show", "NOPE-1")
    assert result.exit_code == 1
    assert "NOPE-1" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_show_ambiguous_ref_needs_source(run, files, several):
    other = [["Signaal ID", "Datum", "Samenvatting", "Plaats"], ["M-1", "10-08-2026", "Watch over M-1", "Huizen"]]
    assert run("signals", "import", "--source", "watch", files.csv("w2.csv", other)).exit_code == 0
    ambiguous = run("signals", "show", "M-1")
    assert ambiguous.exit_code == 1
    assert "watch:M-1" in ambiguous.stderr
    shown = json.loads(run("signals", "show", "watch:M-1", "--format", "json").stdout)
    assert shown["text"] == "Watch over M-1"


def test_rejects_file_keeps_the_reason_when_input_has_a_reason_column(run, files, tmp_path):
    path = files.csv(
        "in.csv",
        [
            ["Meldingnummer", "Datum melding", "Plaats", "Omschrijving", "reason", "file"],
            ["M1", "25-13-2026", "Bussum", "tekst", "eigen1", "eigen2"],
            ["M2", "24-10-2026", "Bussum", "tekst twee", "x", "y"],
        ],
    )
    rejects = tmp_path / "rej.csv"
    result = run("signals", "import", "--source", "mma", "--skip-bad", "--rejects", str(rejects), path)
    assert result.exit_code == 0, result.stderr
    import csv as csv_module

    (row,) = list(csv_module.DictReader(rejects.open(encoding="utf-8")))
    assert row["file"].endswith("in.csv") and row["row"] == "2" and row["column"] == "Datum melding"
    assert "month" in row["reason"] or "date" in row["reason"]
    assert row["reason (input)"] == "eigen1" and row["file (input)"] == "eigen2"
