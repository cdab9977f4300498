"""`mhtool report quarterly`: the Markdown and Excel report on hand-counted data.

The signals are those of test_stats.py plus M11 (Eemnes, overig, a
nationality that looks like a spreadsheet formula). In 2026Q3 that makes
five situations from six signals: M02 Gooise Meren, M03 Wijdemeren, M04
Huizen, M08+M09 Hilversum, M11 Eemnes.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import stat
from pathlib import Path

import pytest
from test_stats import SIGNALS, load_signals

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
M11 = ["M11", "05-09-2026", "Overig", "Eemnes", "vrouw", "33", "=1+1"]


@pytest.fixture
def data(run, files, db_path):
    load_signals(run, files, db_path, [*SIGNALS, M11])


def markdown_tables(text: str) -> dict[str, list[dict]]:
    """{heading: rows} for every '## heading' followed by a table."""
    tables = {}
    for block in text.split("\n## ")[1:]:
        heading, _, body = block.partition("\n")
        lines = [line for line in body.splitlines() if line.startswith("|")]
        cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
        header, rows = cells[0], cells[2:]
        tables[heading] = [dict(zip(header, row)) for row in rows]
    return tables


def table_rows(sheet) -> list[tuple]:
    """A section sheet's table: the rows down to the first empty one."""
    rows = sheet.iter_rows(values_only=True)
    return list(itertools.takewhile(lambda row: any(v is not None for v in row), rows))


def column(rows, key, value):
    return {row[key]: row[value] for row in rows}


@pytest.fixture
def report(data, run):
    result = run("report", "quarterly", "2026Q3")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_title_and_introduction(report):
    assert report.startswith("# Voortgangsrapportage mensenhandel 2026Q3\n")
    assert "Periode: 1 juli 2026 tot en met 30 september 2026." in report
    assert "Situaties: 5 (uit 6 signalen;" in report
    assert "Inwoners van de regio: 254.666" in report


def test_by_type(report):
    rows = markdown_tables(report)["Situaties naar type uitbuiting"]
    assert column(rows, "type", "aantal") == {
        "seksuele uitbuiting": "2",
        "arbeidsuitbuiting": "1",
        "criminele uitbuiting": "1",
        "overig": "1",
        "totaal": "5",
    }
    assert (
        column(rows, "type", "aandeel %")["seksuele uitbuiting"] == "40,0"
    )  # a decimal comma, like the docx and html reports
    # 2 * 10000 / 254666 = 0.0785; the total 5 * 10000 / 254666 = 0.196
    assert column(rows, "type", "per 10.000 inwoners") == {
        "seksuele uitbuiting": "0,08",
        "arbeidsuitbuiting": "0,04",
        "criminele uitbuiting": "0,04",
        "overig": "0,04",
        "totaal": "0,20",
    }


def test_by_municipality(report):
    rows = markdown_tables(report)["Situaties naar gemeente"]
    assert column(rows, "gemeente", "aantal") == {
        "Blaricum": "0",
        "Eemnes": "1",
        "Gooise Meren": "1",
        "Hilversum": "1",
        "Huizen": "1",
        "Laren": "0",
        "Wijdemeren": "1",
        "totaal": "5",
    }
    rates = column(rows, "gemeente", "per 10.000 inwoners")
    assert rates["Eemnes"] == "1,01"  # 10000 / 9900
    assert rates["Hilversum"] == "0,11"  # 10000 / 94435
    assert rates["Blaricum"] == "0,00"


def test_trend_over_four_quarters(report):
    rows = markdown_tables(report)["Trend: de laatste vier kwartalen"]
    assert [r["kwartaal"] for r in rows] == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert column(rows, "kwartaal", "totaal") == {"2025Q4": "1", "2026Q1": "1", "2026Q2": "1", "2026Q3": "5"}
    assert column(rows, "kwartaal", "overig")["2025Q4"] == "1"  # M06, 31 December 2025
    assert column(rows, "kwartaal", "onbekend")["2026Q1"] == "1"  # M07
    assert column(rows, "kwartaal", "seksuele uitbuiting")["2026Q2"] == "1"  # M01


def test_sources(report):
    rows = markdown_tables(report)["Bronnen"]
    assert rows == [
        {"bron": "mma", "situaties": "5", "signalen": "6"},
        {"bron": "totaal", "situaties": "5", "signalen": "6"},
    ]


def test_victims(report):
    tables = markdown_tables(report)
    assert column(tables["Slachtoffers: geslacht"], "geslacht", "aantal") == {"man": "2", "vrouw": "3", "totaal": "5"}
    assert column(tables["Slachtoffers: leeftijd"], "leeftijd", "aantal") == {
        "<18": "1",
        "18-20": "1",
        "21-25": "2",
        "26-30": "0",
        "31+": "1",
        "totaal": "5",
    }
    nationalities = column(tables["Slachtoffers: nationaliteit"], "nationaliteit", "aantal")
    assert nationalities == {
        "'=1+1": "1",
        "Nederlands": "1",
        "Pools": "1",
        "Roemeens": "1",
        "onbekend": "1",
        "totaal": "5",
    }


def test_no_ads_section_without_ads(report):
    assert "## Seksadvertenties" not in report


def test_ads_scored_and_flagged_per_week(run, read_csv):
    ads = sorted(map(str, (EXAMPLES / "ads").glob("ads_*_2026-W48.*")))
    assert run("ads", "import", *ads).exit_code == 0
    scored = read_csv(run("ads", "score", "--week", "2026-W48", "--format", "csv").stdout)
    assert run("ads", "score", "--week", "2026-W48", "--format", "csv").exit_code == 0  # scored twice
    risky = sum(int(r["risky"]) for r in scored)
    assert 0 < risky < len(scored)
    rows = markdown_tables(run("report", "quarterly", "2026Q4").stdout)["Seksadvertenties per week"]
    assert rows[0]["week"] == "2026-W48"
    assert (rows[0]["beoordeeld"], rows[0]["risicovol"]) == (str(len(scored)), str(risky))
    assert rows[-1]["week"] == "totaal"
    assert "Seksadvertenties" not in run("report", "quarterly", "2026Q3").stdout  # W48 lies in Q4


def test_markdown_file(data, run, tmp_path):
    target = tmp_path / "rapport.md"
    result = run("report", "quarterly", "2026Q3", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert target.read_text("utf-8") == run("report", "quarterly", "2026Q3").stdout


def test_xlsx_one_sheet_per_table(data, run, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "rapport.xlsx"
    assert run("report", "quarterly", "2026Q3", "-o", target).exit_code == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    book = load_workbook(target)
    assert book.sheetnames == [
        "Inhoud",
        "Naar type",
        "Naar gemeente",
        "Trend",
        "Bronnen",
        "Slachtoffers geslacht",
        "Slachtoffers leeftijd",
        "Slachtoffers nationaliteit",
    ]
    assert book["Inhoud"]["A1"].value == "Voortgangsrapportage mensenhandel 2026Q3"
    gemeente = table_rows(book["Naar gemeente"])
    assert gemeente[0] == ("gemeente", "aantal", "aandeel %", "per 10.000 inwoners")
    assert ("Eemnes", 1, 0.2, 1.01) in gemeente  # a share is stored as a fraction, shown as 20,0%
    assert gemeente[-1] == ("totaal", 5, 1.0, 0.2)
    nationality = [row[0] for row in table_rows(book["Slachtoffers nationaliteit"])]
    assert "'=1+1" in nationality
    formulas = [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_empty_quarter(run):
    tables = markdown_tables(run("report", "quarterly", "2026Q1").stdout)
    assert column(tables["Situaties naar gemeente"], "gemeente", "aantal")["Laren"] == "0"
    assert column(tables["Situaties naar type uitbuiting"], "type", "aantal")["totaal"] == "0"


@pytest.mark.parametrize("text", ["2026", "2026-07", "2026Q5", "volgend kwartaal"])
def test_not_a_quarter(run, text):
    result = run("report", "quarterly", text)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1


def test_stats_csv_reads_back_the_same_numbers(data, run):
    """The report and `mhtool stats` count alike."""
    text = run("stats", "--by", "gemeente", "--period", "2026Q3", "--per", "10000", "--format", "csv").stdout
    stats = {r["gemeente"]: r for r in csv.DictReader(io.StringIO(text))}
    rows = markdown_tables(run("report", "quarterly", "2026Q3").stdout)["Situaties naar gemeente"]
    for row in rows[:-1]:
        assert stats[row["gemeente"]]["count"] == row["aantal"]
        assert float(stats[row["gemeente"]]["per_10000"]) == float(row["per 10.000 inwoners"].replace(",", "."))


def test_yearly_report(data, run):
    result = run("report", "yearly", "2026")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Jaarrapportage mensenhandel 2026\n")
    assert "Periode: 1 januari 2026 tot en met 31 december 2026." in result.stdout
    tables = markdown_tables(result.stdout)
    trend = tables["Trend: de vier kwartalen van het jaar"]
    assert [r["kwartaal"] for r in trend] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert column(trend, "kwartaal", "totaal") == {"2026Q1": "1", "2026Q2": "1", "2026Q3": "5", "2026Q4": "1"}
    assert (
        column(tables["Situaties naar type uitbuiting"], "type", "aantal")["totaal"] == "8"
    )  # M01-M05, M07, M08+M09, M11


@pytest.mark.parametrize("text", ["2026Q3", "2026-07", "dit jaar"])
def test_yearly_needs_a_year(run, text):
    result = run("report", "yearly", text)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1


def test_front_page_facts(report):
    assert "Regio: Blaricum, Eemnes, Gooise Meren, Hilversum, Huizen, Laren, Wijdemeren." in report
    assert "Inwoners van de regio: 254.666 (peildatum 2025-01-01)." in report
    from mhtool.ads.rules import load_rules

    assert f"Regels advertenties: {load_rules().version} (geen advertenties beoordeeld)." in report
    assert "Gemaakt op: " in report
    assert "Alleen voor intern gebruik" in report


def test_sentences_state_the_figures(report):
    assert (
        "In het derde kwartaal van 2026 zijn 5 situaties opgepakt, waarvan 2 seksuele uitbuiting, "
        "1 arbeidsuitbuiting, 1 criminele uitbuiting en 1 overig."
    ) in report


@pytest.mark.parametrize("name", ["rapport.pdf", "rapport.txt", "rapport", "rapport.csv"])
def test_unsupported_extension_is_a_usage_error(data, run, tmp_path, name):
    result = run("report", "quarterly", "2026Q3", "-o", tmp_path / name)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "test.db"] or not (tmp_path / name).exists()


def test_a_failed_write_leaves_nothing(data, run, tmp_path):
    missing = tmp_path / "no such folder" / "rapport.xlsx"
    result = run("report", "quarterly", "2026Q3", "-o", missing)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert not missing.parent.exists()


def test_an_existing_file_is_replaced_whole(data, run, tmp_path):
    target = tmp_path / "rapport.md"
    target.write_text("oud\n")
    os.chmod(target, 0o644)
    assert run("report", "quarterly", "2026Q3", "-o", target).exit_code == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert target.read_text("utf-8").startswith("# Voortgangsrapportage")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_extra_section_providers(data, db_path):
    """The hook for sections of other areas (the follow-up of cases)."""
    from mhtool.report.build import build, parse_quarter
    from mhtool.report.markdown import to_markdown
    from mhtool.report.model import COUNT, TEXT, Section, Table
    from mhtool.store.db import open_db

    def follow_up(db, period, region):
        table = Table(
            ["stand", "aantal"],
            {"stand": TEXT, "aantal": COUNT},
            [{"stand": "lopend", "aantal": 3}, {"stand": "totaal", "aantal": 3}],
        )
        return [Section("cases", "Opvolging", "Opvolging", table)]

    report = build(open_db(str(db_path)), parse_quarter("2026Q3"), providers=[follow_up])
    assert report.sections[-1].title == "Opvolging"
    assert markdown_tables(to_markdown(report))["Opvolging"] == [
        {"stand": "lopend", "aantal": "3"},
        {"stand": "totaal", "aantal": "3"},
    ]
