"""`--excel`: CSV that Dutch Excel reads typed (issue 15, item 5).

Decimal commas and no thousands separator, dates as dd-mm-jjjj, digits that
would lose a leading zero kept as text with an invisible WORD JOINER, and
the formula guard exactly as strict as in any CSV. The last test opens the
file in LibreOffice Calc with a Dutch locale (nl-NL), as a municipality's
spreadsheet would, and checks every cell's type; it is skipped, saying why,
where LibreOffice is not installed (CI)."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess

import pytest

WORD_JOINER = "\u2060"


@pytest.fixture
def data(import_mma):
    result = import_mma(
        [
            ["000815", "01-10-2026", "Mensenhandel - seksuele uitbuiting", "Bussum", "Vrouw in woning", "06-12345678"],
            ["M-2", "02-10-2026", "Arbeidsuitbuiting", "Huizen", "=1+1", ""],
            ["M-3", "03-10-2026", "Arbeidsuitbuiting", "Eemnes", "Kort", ""],
        ]
    )
    assert result.exit_code == 0, result.stderr


def rows_of(result, delimiter) -> list[dict]:
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig")), delimiter=delimiter))


def test_decimal_commas_without_grouping(data, run):
    plain = rows_of(run("stats", "--by", "gemeente", "--per", "10000", "--format", "csv"), ",")
    excel = rows_of(run("stats", "--by", "gemeente", "--per", "10000", "--excel"), ";")
    assert [r["gemeente"] for r in excel] == [r["gemeente"] for r in plain]
    decimals = 0
    for dot, comma in zip(plain, excel, strict=True):
        assert comma["per_10000"] == dot["per_10000"].replace(".", ",")
        assert "." not in comma["per_10000"]
        decimals += "," in comma["per_10000"]
    assert decimals >= 2  # Eemnes (1 / 9900) and Gooise Meren are not whole numbers
    region = rows_of(run("region", "show", "--excel"), ";")
    assert region[0]["inhabitants"] == "12724"  # no thousands separator


def test_dates_as_dutch_days(data, run):
    plain = rows_of(run("signals", "list", "--format", "csv"), ",")
    excel = rows_of(run("signals", "list", "--excel"), ";")
    assert [r["reported_on"] for r in plain] == ["2026-10-01", "2026-10-02", "2026-10-03"]
    assert [r["reported_on"] for r in excel] == ["01-10-2026", "02-10-2026", "03-10-2026"]
    audit = rows_of(run("db", "audit", "--excel"), ";")
    day, _, time = audit[0]["at"].partition(" ")
    assert datetime.datetime.strptime(day, "%d-%m-%Y") and len(time) == 8


def test_leading_zeros_stay_text_without_a_visible_guard(data, run):
    excel = rows_of(run("signals", "list", "--excel"), ";")
    assert excel[0]["ref"] == WORD_JOINER + "000815"
    assert rows_of(run("signals", "list", "--format", "csv"), ",")[0]["ref"] == "000815"  # plain CSV: as it is


def test_the_formula_guard_stays(data, run):
    excel = rows_of(run("signals", "list", "--excel"), ";")
    assert excel[0]["phones"] == "'+31612345678"  # a leading + is a formula risk: guarded
    assert excel[1]["text"] == "'=1+1"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_dutch_calc_reads_numbers_dates_and_text(data, run, tmp_path):
    from openpyxl import load_workbook
    from test_libreoffice import DUTCH

    stats = tmp_path / "stats.csv"
    listing = tmp_path / "list.csv"
    assert run("stats", "--by", "gemeente", "--per", "10000", "--excel", "-o", stats).exit_code == 0
    assert run("signals", "list", "--excel", "-o", listing).exit_code == 0
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(DUTCH, encoding="utf-8")
    out = tmp_path / "calc"
    subprocess.run(
        # CSV filter: ';' (59) separated, '"' (34) quoted, UTF-8 (76), from line 1, language nl-NL (1043)
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--infilter=CSV:59,34,76,1,,1043"]
        + ["--convert-to", "xlsx", "--outdir", str(out), str(stats), str(listing)],
        check=True,
        capture_output=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    figures = list(load_workbook(out / "stats.xlsx").active.iter_rows(min_row=2, values_only=True))
    plain = rows_of(run("stats", "--by", "gemeente", "--per", "10000", "--format", "csv"), ",")
    for (gemeente, count, rate), row in zip(figures, plain, strict=True):
        assert gemeente == row["gemeente"]
        assert isinstance(count, int) and count == int(row["count"])
        assert isinstance(rate, (int, float)) and rate == pytest.approx(float(row["per_10000"]))
    sheet = load_workbook(out / "list.xlsx").active
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, (c.value for c in sheet[2]), strict=True))
    assert first["reported_on"] == datetime.datetime(2026, 10, 1)  # a date, day first
    assert first["ref"] == WORD_JOINER + "000815"  # text: the leading zeros kept
    assert first["id"] == 1
    assert first["phones"] == "'+31612345678"  # text, guard visible (no formula)
    second = dict(zip(header, (c.value for c in sheet[3]), strict=True))
    assert second["text"] == "'=1+1" and sheet.cell(3, header.index("text") + 1).data_type == "s"


def test_xlsx_is_the_way_to_typed_cells(data, run, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "list.xlsx"
    assert run("signals", "list", "-o", target).exit_code == 0
    sheet = load_workbook(target).active
    header = [c.value for c in sheet[1]]
    first = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert first["reported_on"].value == datetime.datetime(2026, 10, 1) and first["reported_on"].is_date
    assert first["ref"].value == "000815" and first["ref"].data_type == "s"  # nothing added
    assert first["id"].value == 1
