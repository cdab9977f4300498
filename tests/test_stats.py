"""`mhtool stats`: counts on a small hand-made set of signals.

The fixture (SIGNALS) sits on the edges of quarters and years. Signals M08
and M09 are linked into one situation, so that situations and signals
differ. Every expected number below is counted by hand from that table.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from mhtool.periods import Period, parse_period
from mhtool.stats.figures import Request, compute
from mhtool.store.db import open_db
from mhtool.store.situations import add_single_situations, refresh_situations

HEADERS = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Omschrijving",
    "Geslacht",
    "Leeftijd",
    "Nationaliteit",
]
#          ref    date                 category                place        gender  age  nationality
SIGNALS = [
    ["M01", "30-06-2026", "Seksuele uitbuiting", "Hilversum", "vrouw", "", ""],  # last day of 2026Q2
    ["M02", "01-07-2026", "Seksuele uitbuiting", "Bussum", "vrouw", "17", "Roemeens"],  # first day of Q3
    ["M03", "15-08-2026", "Arbeidsuitbuiting", "Loosdrecht", "man", "24", "Pools"],  # Wijdemeren
    ["M04", "30-09-2026 23:59", "Criminele uitbuiting", "Huizen", "man", "19", ""],  # last minute of Q3
    ["M05", "01-10-2026", "Seksuele uitbuiting", "Amersfoort", "", "", ""],  # buiten regio, Q4
    ["M06", "31-12-2025", "Gedwongen huwelijk", "Laren", "", "", ""],  # last day of 2025
    ["M07", "01-01-2026", "", "", "", "", ""],  # onbekend x2, 2026Q1
    ["M08", "20-08-2026", "Seksuele uitbuiting", "Hilversum", "vrouw", "22", "Nederlands"],
    ["M09", "22-08-2026", "Seksuele uitbuiting", "Hilversum", "", "", ""],  # same situation as M08
    ["M10", "10-07-2025", "Arbeidsuitbuiting", "Hilversum", "man", "40", "Pools"],  # 2025Q3
]
# Distinct descriptions, so that the automatic dedupe links nothing by itself.
TEXTS = [
    "Buren zien 's nachts steeds andere mannen bij een woning aan de Kerkstraat.",
    "Jonge vrouw wordt elke avond met een busje opgehaald en pas 's ochtends teruggebracht.",
    "Zes arbeidsmigranten slapen in een schuur bij een kwekerij, paspoorten ingenomen.",
    "Jongen van zestien verkoopt drugs voor een oudere man en moet een schuld afbetalen.",
    "Advertentie op een datingsite met een telefoonnummer dat ook bij een massagesalon hoort.",
    "Meisje wordt naar het buitenland gebracht om daar te trouwen met een onbekende man.",
    "Anonieme melder noemt geen plaats en geen namen, alleen dat er iets niet klopt.",
    "Vrouw in een nagelstudio krijgt geen loon en woont boven de zaak met vier anderen.",
    "Tweede melding over de vrouw boven de nagelstudio: nu ook een man die haar bewaakt.",
    "Schoonmakers van een hotel werken zeventig uur per week voor veertig euro.",
    "Een man laat twee vrouwen bedelen bij het station en haalt het geld 's avonds op.",
]
MUNICIPALITIES = ["Blaricum", "Eemnes", "Gooise Meren", "Hilversum", "Huizen", "Laren", "Wijdemeren"]
TYPES = ["seksuele uitbuiting", "arbeidsuitbuiting", "criminele uitbuiting", "overig"]


def load_signals(run, files, db_path, rows=SIGNALS):
    """Import the rows as Meld Misdaad Anoniem signals; link M08 and M09."""
    lines = [[r[0], r[1], r[2], r[3], TEXTS[int(r[0][1:]) - 1], *r[4:]] for r in rows]
    path = files.csv("mma.csv", [HEADERS, *lines])
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(db_path)
    with conn:
        ids = dict(conn.execute("SELECT ref, id FROM signals WHERE ref IN ('M08', 'M09')"))
        if ids:
            conn.execute("UPDATE signals SET situation_id = ? WHERE ref IN ('M08', 'M09')", (ids["M08"],))
            refresh_situations(conn, ids.values())
    conn.close()


@pytest.fixture
def data(run, files, db_path):
    load_signals(run, files, db_path)


@pytest.fixture
def stats(run, read_csv):
    """`mhtool stats ARGS --format csv`, read back as a list of dicts."""

    def _stats(*args):
        result = run("stats", *args, "--format", "csv")
        assert result.exit_code == 0, result.stderr
        return read_csv(result.stdout)

    return _stats


def counts(rows, key="gemeente"):
    return {row[key]: int(row["count"]) for row in rows}


# --- zero rows and the municipalities of the period --------------------------------


def test_empty_database_lists_every_municipality_with_zero(stats):
    rows = stats("--by", "gemeente", "--period", "2026Q3")
    assert counts(rows) == {name: 0 for name in MUNICIPALITIES}
    assert list(rows[0]) == ["gemeente", "count"]


def test_empty_database_types_and_age_bands_with_zero(stats):
    assert counts(stats("--by", "type", "--period", "2026"), "type") == {t: 0 for t in TYPES}
    assert counts(stats("--by", "victim_age", "--period", "2026"), "victim_age") == {
        "<18": 0,
        "18-20": 0,
        "21-25": 0,
        "26-30": 0,
        "31+": 0,
    }


def test_empty_database_without_period(run, read_csv):
    result = run("stats", "--by", "gemeente", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert [r["count"] for r in read_csv(result.stdout)] == ["0"] * 7


def test_merger_decides_the_municipalities_of_the_period(stats):
    assert [r["gemeente"] for r in stats("--by", "gemeente", "--period", "2026Q4")] == MUNICIPALITIES
    after = [r["gemeente"] for r in stats("--by", "gemeente", "--period", "2027Q1")]
    assert after == [m for m in MUNICIPALITIES if m != "Wijdemeren"]
    spanning = [r["gemeente"] for r in stats("--by", "gemeente", "--from", "2026-12-01", "--to", "2027-01-31")]
    assert spanning == MUNICIPALITIES


def test_outside_and_unknown_only_when_counted(data, stats):
    in_q3 = counts(stats("--by", "gemeente", "--period", "2026Q3"))
    assert "buiten regio" not in in_q3 and "onbekend" not in in_q3
    in_2026 = stats("--by", "gemeente", "--period", "2026")
    assert [r["gemeente"] for r in in_2026][-2:] == ["buiten regio", "onbekend"]
    assert counts(in_2026)["buiten regio"] == 1  # M05
    assert counts(in_2026)["onbekend"] == 1  # M07


# --- periods at their edges --------------------------------------------------------


def test_quarter_edges(data, stats):
    # Q3: M02 (1 July), M03, M04 (30 Sep 23:59) and M08+M09; not M01 (30 June) nor M05 (1 Oct)
    assert counts(stats("--by", "gemeente", "--period", "2026Q3")) == {
        "Blaricum": 0,
        "Eemnes": 0,
        "Gooise Meren": 1,
        "Hilversum": 1,
        "Huizen": 1,
        "Laren": 0,
        "Wijdemeren": 1,
    }
    assert counts(stats("--by", "gemeente", "--period", "2026Q2"))["Hilversum"] == 1  # M01
    q4 = counts(stats("--by", "gemeente", "--period", "2026Q4"))
    assert q4["buiten regio"] == 1 and sum(q4.values()) == 1  # M05


def test_year_edges(data, stats):
    assert counts(stats("--by", "year", "--period", "2025"), "year") == {"2025": 2}  # M06 (31 Dec), M10
    # M01, M02, M03, M04, M05, M07 (1 Jan), M08+M09
    assert counts(stats("--by", "year", "--period", "2026"), "year") == {"2026": 7}


def test_month_week_and_range(data, stats):
    assert counts(stats("--by", "month", "--period", "2026-08"), "month") == {"2026-08": 2}  # M03, M08+M09
    # 2026-W27 runs from Monday 29 June to Sunday 5 July: M01 and M02
    assert sum(counts(stats("--by", "type", "--period", "2026-W27"), "type").values()) == 2
    ranged = stats("--by", "gemeente", "--from", "30-6-2026", "--to", "1-7-2026")
    assert sum(counts(ranged).values()) == 2


def test_time_fields_fill_every_bucket(data, stats):
    assert counts(stats("--by", "quarter", "--period", "2026"), "quarter") == {
        "2026Q1": 1,
        "2026Q2": 1,
        "2026Q3": 4,
        "2026Q4": 1,
    }
    assert counts(stats("--by", "month", "--period", "2026Q3"), "month") == {"2026-07": 1, "2026-08": 2, "2026-09": 1}


def test_all_data_without_period(data, stats):
    # 10 signals, M08 and M09 one situation
    rows = stats("--by", "year")
    assert counts(rows, "year") == {"2025": 2, "2026": 7}


# --- situations versus signals -----------------------------------------------------


def test_situations_versus_signals(data, stats):
    situations = counts(stats("--by", "gemeente", "--period", "2026Q3"))
    signals = counts(stats("--by", "gemeente", "--period", "2026Q3", "--count", "signals"))
    assert situations["Hilversum"] == 1 and signals["Hilversum"] == 2
    assert sum(situations.values()) == 4 and sum(signals.values()) == 5


def test_victim_fields_of_a_situation_come_from_its_signals(data, stats):
    ages = counts(stats("--by", "victim_age", "--period", "2026Q3"), "victim_age")
    # M02 17, M04 19, M03 24, M08 22 (M09 has none but shares M08's situation)
    assert ages == {"<18": 1, "18-20": 1, "21-25": 2, "26-30": 0, "31+": 0}
    signal_ages = counts(stats("--by", "victim_age", "--period", "2026Q3", "--count", "signals"), "victim_age")
    assert signal_ages["onbekend"] == 1  # M09 itself


def test_types_carry_dutch_labels(data, stats):
    assert counts(stats("--by", "type", "--period", "2026"), "type") == {
        "seksuele uitbuiting": 4,
        "arbeidsuitbuiting": 1,
        "criminele uitbuiting": 1,
        "overig": 0,
        "onbekend": 1,
    }
    assert counts(stats("--by", "type", "--period", "2025"), "type")["overig"] == 1  # Gedwongen huwelijk


def test_nationality_and_gender(data, stats):
    assert counts(stats("--by", "victim_nationality", "--period", "2026Q3"), "victim_nationality") == {
        "Nederlands": 1,
        "Pools": 1,
        "Roemeens": 1,
        "onbekend": 1,
    }
    assert counts(stats("--by", "victim_gender", "--period", "2026Q3"), "victim_gender") == {"man": 2, "vrouw": 2}


# --- two fields: long format and pivot -------------------------------------------------


def test_two_fields_long_format(data, stats):
    rows = stats("--by", "gemeente", "--by", "type", "--period", "2026Q3")
    assert list(rows[0]) == ["gemeente", "type", "count"]
    assert len(rows) == 7 * 4  # every municipality with every type
    found = {(r["gemeente"], r["type"]): int(r["count"]) for r in rows}
    assert found[("Hilversum", "seksuele uitbuiting")] == 1
    assert found[("Wijdemeren", "arbeidsuitbuiting")] == 1
    assert found[("Huizen", "criminele uitbuiting")] == 1
    assert sum(found.values()) == 4


def test_pivot(data, stats):
    rows = stats("--by", "gemeente", "--by", "type", "--period", "2026Q3", "--pivot")
    assert list(rows[0]) == ["gemeente", *TYPES]
    assert [r["gemeente"] for r in rows] == MUNICIPALITIES
    by_name = {r["gemeente"]: r for r in rows}
    assert by_name["Gooise Meren"]["seksuele uitbuiting"] == "1"
    assert by_name["Wijdemeren"]["arbeidsuitbuiting"] == "1"
    assert by_name["Laren"] == {"gemeente": "Laren", **{t: "0" for t in TYPES}}


def test_pivot_with_totals(data, stats):
    rows = stats("--by", "type", "--by", "gemeente", "--period", "2026", "--pivot", "--totals")
    assert list(rows[0])[-3:] == ["buiten regio", "onbekend", "totaal"]
    total = rows[-1]
    assert total["type"] == "totaal" and total["totaal"] == "7"
    assert total["Hilversum"] == "2"  # M01 and M08+M09
    assert {r["type"]: r["totaal"] for r in rows[:-1]}["seksuele uitbuiting"] == "4"


# --- totals, rates, comparisons ------------------------------------------------------


def test_csv_has_no_total_row_unless_asked(data, stats):
    assert all(r["gemeente"] != "totaal" for r in stats("--by", "gemeente", "--period", "2026Q3"))
    with_total = stats("--by", "gemeente", "--period", "2026Q3", "--totals")
    assert with_total[-1] == {"gemeente": "totaal", "count": "4"}


def test_table_has_a_total_line(data, run):
    result = run("stats", "--by", "gemeente", "--period", "2026Q3", "--format", "table")
    last_row = [line for line in result.stdout.splitlines() if "totaal" in line]
    assert len(last_row) == 1 and "4" in last_row[0]


def test_rates_per_10000(data, stats):
    rows = {r["gemeente"]: r for r in stats("--by", "gemeente", "--period", "2026Q3", "--per", "10000", "--totals")}
    assert list(rows["Hilversum"]) == ["gemeente", "count", "per_10000"]
    assert rows["Hilversum"]["per_10000"] == "0.11"  # 1 * 10000 / 94435
    assert rows["Gooise Meren"]["per_10000"] == "0.17"  # 1 * 10000 / 60370
    assert rows["Wijdemeren"]["per_10000"] == "0.41"  # 1 * 10000 / 24605
    assert rows["Laren"]["per_10000"] == "0.0"
    assert rows["totaal"]["per_10000"] == "0.16"  # 4 * 10000 / 254666 (all seven)


def test_rate_outside_the_region_is_empty(data, stats):
    rows = {r["gemeente"]: r for r in stats("--by", "gemeente", "--period", "2026Q4", "--per", "1000")}
    assert rows["buiten regio"]["per_1000"] == ""


def test_rate_by_type_uses_the_whole_region(data, stats):
    rows = {r["type"]: r for r in stats("--by", "type", "--period", "2026Q3", "--per", "100000")}
    assert rows["seksuele uitbuiting"]["per_100000"] == "0.79"  # 2 * 100000 / 254666


def test_compare_previous(data, stats):
    rows = {
        r["gemeente"]: r for r in stats("--by", "gemeente", "--period", "2026Q3", "--compare", "previous", "--totals")
    }
    assert list(rows["Hilversum"]) == ["gemeente", "count", "previous", "change", "change_pct"]
    assert rows["Hilversum"] == {
        "gemeente": "Hilversum",
        "count": "1",
        "previous": "1",
        "change": "0",
        "change_pct": "0.0",
    }
    assert rows["Huizen"]["previous"] == "0" and rows["Huizen"]["change_pct"] == ""
    assert rows["totaal"] == {"gemeente": "totaal", "count": "4", "previous": "1", "change": "3", "change_pct": "300.0"}


def test_compare_year(data, stats):
    rows = {r["type"]: r for r in stats("--by", "type", "--period", "2026Q3", "--compare", "year")}
    assert rows["arbeidsuitbuiting"]["previous"] == "1"  # M10, 2025Q3
    assert rows["arbeidsuitbuiting"]["change"] == "0"
    assert rows["seksuele uitbuiting"]["change"] == "2"


def test_compare_lines_up_months_by_position(data, stats):
    rows = {r["month"]: r for r in stats("--by", "month", "--period", "2026Q3", "--compare", "previous")}
    assert rows["2026-09"]["previous"] == "1"  # M01 in June, the third month of Q2
    assert rows["2026-07"]["previous"] == "0"
    years = stats("--by", "month", "--period", "2026Q3", "--compare", "year")
    assert {r["month"]: r["previous"] for r in years}["2026-07"] == "1"  # M10, July 2025


def test_compare_keeps_a_municipality_counted_only_before(run, stats, db_path):
    """2027Q1 against 2026Q4: Wijdemeren is gone but had a situation."""
    _insert_signal(db_path, "2026-11-02", "Wijdemeren")
    rows = {r["gemeente"]: r for r in stats("--by", "gemeente", "--period", "2027Q1", "--compare", "previous")}
    assert rows["Wijdemeren"]["count"] == "0" and rows["Wijdemeren"]["previous"] == "1"


def test_rates_over_the_merger(db_path):
    """A period across 1 January 2027 uses the merged Hilversum's inhabitants."""
    _insert_signal(db_path, "2027-01-05", "Hilversum")
    db = open_db(db_path)
    figures = compute(
        db, Request(("gemeente",), Period("range", dt.date(2026, 12, 1), dt.date(2027, 1, 31)), per=10000)
    )
    rows = {r["gemeente"]: r for r in figures.rows}
    assert rows["Hilversum"]["per_10000"] == round(10000 / 119040, 2)
    assert rows["Wijdemeren"]["per_10000"] == 0.0
    assert figures.total["per_10000"] == round(10000 / 254666, 2)


def _insert_signal(db_path, day: str, gemeente: str) -> None:
    """A signal dated after today cannot be imported; write it directly."""
    db = open_db(db_path)
    with db.conn:
        cursor = db.conn.execute(
            "INSERT INTO signals (source, ref, reported_on, type, type_origin, gemeente, text, raw, content_hash, "
            "created_at) VALUES ('mma', ?, ?, 'sexual', 'given', ?, 'x', '{}', 'h', '2026-01-01')",
            (f"F-{day}", day, gemeente),
        )
        db.conn.execute("UPDATE signals SET situation_id = id WHERE id = ?", (cursor.lastrowid,))
        add_single_situations(db.conn, [cursor.lastrowid])
    db.conn.close()


# --- output and the Python API ------------------------------------------------------


def test_json_output(data, run):
    import json

    result = run("stats", "--by", "type", "--period", "2026Q3", "--format", "json")
    rows = json.loads(result.stdout)
    assert rows[0] == {"type": "seksuele uitbuiting", "count": 2}
    assert len(rows) == 4


def test_excel_csv(data, run):
    result = run("stats", "--by", "gemeente", "--period", "2026Q3", "--excel")
    assert result.stdout.startswith("\ufeffgemeente;count\n")  # click's Result turns CRLF into LF


def test_markdown_has_a_total_line(data, run):
    result = run("stats", "--by", "type", "--period", "2026Q3", "--format", "markdown")
    assert result.stdout.splitlines()[-1].replace(" ", "") == "|totaal|4|"


def test_xlsx_file(data, run, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "figures.xlsx"
    result = run("stats", "--by", "gemeente", "--period", "2026Q3", "--per", "10000", "--totals", "-o", target)
    assert result.exit_code == 0, result.stderr
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == ("gemeente", "count", "per_10000")
    assert ("Wijdemeren", 1, 0.41) in rows
    assert rows[-1] == ("totaal", 4, 0.16)


def test_chart(data, run):
    result = run("stats", "--by", "gemeente", "--period", "2026Q3", "--chart")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Situaties 2026Q3"
    hilversum = next(line for line in lines if line.startswith("Hilversum"))
    assert hilversum.rstrip().endswith(" 1") and "█" in hilversum
    assert "█" not in next(line for line in lines if line.startswith("Laren"))
    assert lines[-1] == "totaal: 4"


def test_python_api_matches_the_cli(data, db_path):
    db = open_db(db_path)
    figures = compute(db, Request(("gemeente", "type"), parse_period("2026Q3"), count="signals"))
    assert figures.columns == ["gemeente", "type", "count"]
    assert figures.total["count"] == 5
    assert {(r["gemeente"], r["type"]): r["count"] for r in figures.rows}[("Hilversum", "seksuele uitbuiting")] == 2
    assert figures.domains[1] == TYPES


# --- bad usage: one line, exit code 2 -------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--by", "gemeente", "--period", "2026Q5"], "--period '2026Q5'"),
        (["--by", "gemeente", "--period", "2026-W54"], "no week 54"),
        (["--by", "gemeente", "--period", "2026Q3", "--from", "1-7-2026"], "not both"),
        (["--by", "gemeente", "--from", "1-8-2026", "--to", "1-7-2026"], "--to lies before --from"),
        (["--by", "gemeente", "--from", "31-2-2026"], "--from: impossible date"),
        (["--by", "gemeente", "--compare", "previous"], "--compare needs"),
        (["--by", "gemeente", "--pivot"], "--pivot needs two"),
        (["--by", "gemeente", "--by", "type", "--by", "source"], "at most two"),
        (["--by", "gemeente", "--by", "gemeente"], "must differ"),
        (["--by", "gemeente", "--by", "type", "--pivot", "--per", "10000"], "counts only"),
        (["--by", "gemeente", "--per", "0"], "positive"),
        (["--by", "gemeente", "--chart", "-o", "x.csv"], "--chart"),
    ],
)
def test_bad_usage(run, args, message):
    result = run("stats", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_unknown_field_is_refused(run):
    result = run("stats", "--by", "postcode")
    assert result.exit_code == 2
    assert "postcode" in result.stderr
