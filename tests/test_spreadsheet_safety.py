"""Spreadsheet safety: hostile values in every text field of signals and ads
never come out of a spreadsheet-bound writer (csv, tsv, --excel, markdown,
xlsx) as a cell that starts a formula. Genuinely numeric cells (a negative
number) are allowed. JSON output keeps the values as they are.

The database is built once for the module: imported hostile rows, a signal
added by hand with a hostile source name, values with a leading tab or
carriage return written straight into the database (an import strips those),
and an OS user name that is itself hostile (it ends up in `db audit`).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from mhtool.cli.root import cli
from mhtool.io import writers

HOSTILE = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x", "\r=x"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
HOSTILE_USER = '=HYPERLINK("http://x","klik")'

SIGNAL_HEADER = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Adres",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
    "Kenteken",
    "Link",
    "Geslacht",
    "Leeftijd",
    "Nationaliteit",
    "Gemeente",
]
AD_HEADER = [
    "Site",
    "Advertentie ID",
    "URL",
    "Datum",
    "Titel",
    "Tekst",
    "Naam",
    "Leeftijd",
    "Telefoon",
    "Plaats",
    "Nationaliteit",
    "Vergunningnummer",
]


def day(days_ago: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days_ago)).strftime("%d-%m-%Y")


def _csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


class Cli:
    def __init__(self, db: Path):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args, input=None):
        result = self.runner.invoke(cli, ["--db", str(self.db), *map(str, args)], input=input, catch_exceptions=False)
        for stream in (result.stdout, result.stderr):
            assert "Traceback" not in stream and "Internal error" not in stream, stream
        return result


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    db = root / "hostile.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("MHTOOL_DB", raising=False)
        for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
            mp.setenv(name, HOSTILE_USER)
        run = Cli(db)
        signal_rows = [SIGNAL_HEADER]
        for k, h in enumerate(HOSTILE):
            signal_rows.append([f"{h}-{k}", day(20 + k), h, h, h, h, h, h, h, h, h, "30", h, ""])
        for suffix, days in (("A", 30), ("B", 29)):  # one situation twice: for `signals dupes`
            signal_rows.append(
                [
                    f"=DUP-{suffix}",
                    day(days),
                    "Seksuele uitbuiting",
                    "Hilversum",
                    "=Laan 1",
                    '=HYPERLINK("http://x","klik")',
                    "06-11112222",
                    "=Jan Jansen",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
        signal_rows.append(
            [
                "TABROW",
                day(10),
                "",
                "Hilversum",
                "Laan 1",
                "wordt overschreven",
                "06-12345678",
                "Jan",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
        path = root / "signals.csv"
        path.write_bytes(_csv_bytes(signal_rows))
        result = run("signals", "import", "--source", "mma", "--map", "Link=url", path)
        assert result.exit_code == 0, result.stderr
        # By hand, from a hostile source name, about the =DUP situation (so `signals dupes`
        # shows "SOURCE:REF", which then starts with "@").
        result = run(
            "signals",
            "add",
            "--source",
            "@SUM(A1)",
            "--ref",
            "-5+5",
            "--date",
            day(28),
            "--text",
            "=1+1",
            "--place",
            "Hilversum",
            "--persons",
            "=Jan Jansen",
            "--url",
            "@x",
            "--victim-nationality",
            "=x",
            "--address",
            "=Laan 1",
            "--phones",
            "06-11112222",
        )
        assert result.exit_code == 0, result.stderr

        ad_rows = [AD_HEADER]
        for k, h in enumerate(HOSTILE):
            ad_rows.append([h, f"{h}-{k}", h, day(3), h, h + " 24/7 zonder condoom, net 18", h, "19", h, h, h, h])
        ad_rows.append(
            [
                "tab.example",
                "TABAD",
                "",
                day(2),
                "",
                "wordt overschreven",
                "Mila",
                "22",
                "06-23456789",
                "Huizen",
                "",
                "",
            ]
        )
        path = root / "ads.csv"
        path.write_bytes(_csv_bytes(ad_rows))
        result = run("ads", "import", path)
        assert result.exit_code == 0, result.stderr

        # Leading tab / CR survive no import (cells are stripped); put them in directly.
        conn = sqlite3.connect(str(db))
        with conn:
            for column in (
                "place",
                "address",
                "text",
                "persons",
                "vehicle",
                "url",
                "victim_gender",
                "victim_nationality",
                "ref",
            ):
                conn.execute(
                    f"UPDATE signals SET {column} = ? WHERE ref = 'TABROW'",
                    ("\t=x" if column in ("place", "persons", "url") else "\r=x",),
                )
            conn.execute(
                "UPDATE signal_phones SET raw = ?, valid = 0 WHERE signal_id = (SELECT id FROM signals WHERE ref = ?)",
                ("\t=1+1", "\r=x"),
            )
            for column in ("url", "title", "text", "name", "phone", "place", "nationality"):
                conn.execute(
                    f"UPDATE ad_observations SET {column} = ? WHERE ad = (SELECT id FROM ads WHERE ad_id = 'TABAD')",
                    ("\t=x" if column in ("url", "name", "place") else "\r=x",),
                )
            conn.execute("UPDATE ads SET site = ?, ad_id = ? WHERE ad_id = 'TABAD'", ("\t=x", "\r=x"))
        conn.close()

        result = run("ads", "score", "--all", "--format", "json")  # stores scores: ads list shows them
        assert result.exit_code == 0, result.stderr
        yield run


def has_command(run, *words) -> bool:
    return run(*words, "--help").exit_code == 0


KEY = "spreadsheet-test-key-0123456789"

COMMANDS = {
    "signals list": ["signals", "list"],
    "ads score": ["ads", "score", "--all", "--no-store"],
    "ads list": ["ads", "list"],
    "export signals": ["export", "signals"],
    "export signals --with-text": ["export", "signals", "--pseudonymize", "--with-text"],
    "export ads": ["export", "ads"],
    "db audit": ["db", "audit"],
    "stats --by place": ["stats", "--by", "place", "--count", "signals"],
    "stats --by victim_nationality": ["stats", "--by", "victim_nationality", "--count", "signals"],
    "stats --by source": ["stats", "--by", "source", "--count", "signals"],
    "signals dupes": ["signals", "dupes"],
}
FORMATS = ["csv", "tsv", "excel", "markdown", "xlsx", "csv-file", "excel-file"]


def produce(run, args, fmt, tmp_path) -> tuple[list[list], object]:
    """Run the command in `fmt`; return the cells as rows (and the raw output)."""
    if fmt in ("csv", "tsv"):
        result = run(*args, "--format", fmt)
        assert result.exit_code == 0, result.stderr
        return list(csv.reader(io.StringIO(result.stdout, newline=""), delimiter="\t" if fmt == "tsv" else ",")), result
    if fmt == "excel":
        result = run(*args, "--excel")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("\ufeff")
        return list(csv.reader(io.StringIO(result.stdout[1:], newline=""), delimiter=";")), result
    if fmt in ("csv-file", "excel-file"):
        target = tmp_path / "out.csv"
        result = run(*args, *(["--excel"] if fmt == "excel-file" else []), "-o", target)
        assert result.exit_code == 0, result.stderr
        text = target.read_text("utf-8-sig")
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if fmt == "excel-file" else ",")), result
    if fmt == "markdown":
        result = run(*args, "--format", "markdown")
        assert result.exit_code == 0, result.stderr
        rows = []
        for line in result.stdout.splitlines():
            if not line.startswith("|") or re.fullmatch(r"[|\-: ]+", line):
                continue
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            rows.append([c.strip(" ") for c in cells])
        return rows, result
    if fmt == "xlsx":
        from openpyxl import load_workbook

        target = tmp_path / "out.xlsx"
        result = run(*args, "-o", target)
        assert result.exit_code == 0, result.stderr
        workbook = load_workbook(target)
        rows = []
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (cell.coordinate, cell.value)
                rows.append([cell.value for cell in row])
        return rows, result
    raise AssertionError(fmt)


def dangerous(cell) -> bool:
    return isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_cell_starts_a_formula(hostile_db, tmp_path, monkeypatch, name, fmt):
    run = hostile_db
    args = COMMANDS[name]
    command = args[:1] if args[0] == "stats" else args[:2]
    if not has_command(run, *command):
        pytest.skip(f"`mhtool {' '.join(command)}` does not exist yet")
    monkeypatch.setenv("MHTOOL_KEY", KEY)
    rows, _ = produce(run, args, fmt, tmp_path)
    assert len(rows) >= 2, rows  # a header and at least one row
    bad = [cell for row in rows for cell in row if dangerous(cell)]
    assert bad == []
    # the hostile values are there, neutralised (else this test proves nothing)
    cells = {str(cell) for row in rows for cell in row if cell is not None}
    assert any(c.startswith("'") and c[1:].startswith(FORMULA_STARTS) for c in cells), sorted(cells)[:40]


def test_every_hostile_signal_field_is_neutralised_in_export_csv(hostile_db, read_csv):
    rows = read_csv(hostile_db("export", "signals", "--format", "csv").stdout)
    by_ref = {r["ref"]: r for r in rows}
    row = by_ref["'=1+1-0"]
    for column in ("place", "address", "persons", "url", "victim_gender", "victim_nationality", "text"):
        assert row[column] == "'=1+1", column
    row = by_ref["'@SUM(A1)-3"]
    for column in ("place", "address", "persons", "url", "victim_nationality", "text"):
        assert row[column] == "'@SUM(A1)", column
    assert by_ref["'-5+5"]["source"] == "'@SUM(A1)"
    # the piece after the tab or CR is guarded too: a spreadsheet may split there
    tab = by_ref["'\r'=x"]
    assert tab["place"] == "'\t'=x" and tab["text"] == "'\r'=x" and tab["phones"] == "'\t'=1+1"


def test_every_hostile_ad_field_is_neutralised_in_score_csv(hostile_db, read_csv):
    rows = read_csv(hostile_db("ads", "score", "--all", "--no-store", "--format", "csv").stdout)
    row = next(r for r in rows if r["ad_id"] == "'+cmd-1")
    for column in ("site", "url", "name", "phone", "place"):
        assert row[column] == "'+cmd", column


def test_db_audit_user_is_neutralised(hostile_db, read_csv):
    rows = read_csv(hostile_db("db", "audit", "--format", "csv").stdout)
    assert rows and {r["os_user"] for r in rows} == {"'" + HOSTILE_USER}


@pytest.mark.parametrize("name", ["signals list", "export signals", "ads score", "ads list", "export ads"])
def test_json_output_keeps_values_as_they_are(hostile_db, name):
    result = hostile_db(*COMMANDS[name], "--format", "json")
    assert result.exit_code == 0, result.stderr
    values = {v for item in json.loads(result.stdout) for v in item.values() if isinstance(v, str)}
    assert values & {"=1+1", "+cmd", "@SUM(A1)", "\t=x", "\r=x", "-2+3"}, sorted(values)
    assert not [v for v in values if v.startswith("'") and v[1:2] in ("=", "+", "-", "@", "\t", "\r")]


def test_ndjson_output_keeps_values_as_they_are(hostile_db):
    result = hostile_db("signals", "list", "--format", "ndjson")
    values = {v for line in result.stdout.splitlines() for v in json.loads(line).values() if isinstance(v, str)}
    assert {"=1+1", "@SUM(A1)", "\r=x"} <= values


# --- delimiter confusion (issue 10, item 8) ----------------------------------------------------
# A spreadsheet may read a file with another separator than it was written
# with (Dutch Excel assumes `;`). Every piece it could then split off a cell
# must be safe, and every cell holding a separator is quoted.

SPLIT_ATTACKS = [
    "x;=cmd|' /C calc'!A0;y",
    "x,=cmd|' /C calc'!A0,y",
    "x\t=cmd|' /C calc'!A0\ty",
    "x; @SUM(A1)",
    'x, "=1+1"',
    'a\n=HYPERLINK("http://x")',
    "x;-cmd|' /C calc'!A0",
    "x,+cmd",
]
DUTCH = ["€ 50,-", "06-12345678, +31 6 12345679", "half uur: € 80,- / uur: € 120,-", "a; b, c"]


def piece_runs_formula(cell: str) -> bool:
    """What a spreadsheet would run: `=` or `@`, or `+`/`-` before a call or
    a DDE link (`-` alone, `+31 6 ...`, `- / uur` are data)."""
    text = cell.lstrip(' "')
    if text[:1] in ("=", "@"):
        return True
    return text[:1] in ("+", "-") and re.search(r"[(|]", text) is not None


@pytest.fixture
def split_db(run):
    """tests/data/bad/split_formulas.csv: SPLIT_ATTACKS, then DUTCH, as D-0, D-1, ..."""
    result = run("signals", "import", "--source", "mma", Path(__file__).parent / "data" / "bad" / "split_formulas.csv")
    assert result.exit_code == 0, result.stderr
    return run


@pytest.mark.parametrize(
    "written, read_with", [("csv", ";"), ("csv", "\t"), ("excel", ","), ("excel", "\t"), ("tsv", ","), ("tsv", ";")]
)
def test_no_piece_runs_a_formula_read_with_another_separator(split_db, written, read_with):
    args = ["--excel"] if written == "excel" else ["--format", written]
    result = split_db("signals", "list", *args)
    assert result.exit_code == 0, result.stderr
    cells = [
        cell
        for row in csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"), newline=""), delimiter=read_with)
        for cell in row
    ]
    cells += [cell for line in result.stdout.splitlines() for cell in re.split(r"[,;\t]", line)]
    assert [c for c in cells if piece_runs_formula(c)] == []


@pytest.mark.parametrize("written", ["csv", "excel", "tsv"])
def test_cells_holding_any_separator_are_quoted_and_read_back(split_db, written):
    args = ["--excel"] if written == "excel" else ["--format", written]
    text = split_db("signals", "list", *args).stdout.lstrip("\ufeff")
    delimiter = {"csv": ",", "excel": ";", "tsv": "\t"}[written]
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    by_ref = {r["ref"]: r["text"] for r in rows}
    assert by_ref["D-0"] == "x;'=cmd|' /C calc'!A0;y"
    assert by_ref["D-2"] == "x\t'=cmd|' /C calc'!A0\ty"
    for k, value in enumerate(DUTCH, start=len(SPLIT_ATTACKS)):
        assert by_ref[f"D-{k}"] == value  # ordinary Dutch values stay as they are
        assert '"' + value + '"' in text  # quoted: each holds a separator


# --- the short way for common cells (writers._plain_csv_field) ------------------------------

_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dates(),
    st.text(alphabet=st.sampled_from(list("ab 1=+-@(|,;\t\r\n\"'€.")), max_size=12),
)


@given(_CELLS)
def test_a_plain_csv_cell_is_written_as_the_full_guard_writes_it(value):
    assert writers._plain_csv_field(value) == writers._csv_field(str(writers._csv_cell(value, False)))


def test_a_list_of_rows_is_written_once(tmp_path):
    rows = [{"a": "=1+1", "b": 2}, {"a": "x,y", "b": None}]
    out = tmp_path / "rows.csv"
    assert writers.write_rows(rows, ["a", "b"], "csv", str(out)) == 2
    assert out.read_text(encoding="utf-8").splitlines() == ["a,b", "'=1+1,2", '"x,y",']
