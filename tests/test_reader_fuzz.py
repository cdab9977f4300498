"""Hypothesis: random bytes and random rows into every reader and through the
import commands. The only outcomes allowed are success or an MhtoolError
(ReadError, MissingColumn, ...): never another exception, never a traceback
or "Internal error" reaching the user.

Known crashes have their own strict-xfail tests in test_bad_input.py
(a file of only a BOM, deeply nested JSON, a damaged .xlsx); the property
tests here steer around exactly those inputs so that they keep guarding
everything else.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import random
import string
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from mhtool.cli.root import cli
from mhtool.errors import MhtoolError
from mhtool.io.readers import open_input

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Tests that must find a known bug every time are derandomized (and do not
# spend time shrinking what they find).
FUZZ_FIXED = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)

MMA_HEADERS = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Omschrijving",
    "Telefoonnummer",
    "Adres",
    "Betrokkenen",
    "Kenteken",
    "Geslacht",
    "Leeftijd",
    "Nationaliteit",
    "Gemeente",
]
AD_HEADERS = [
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
    "Vergunningnummer",
    "Nationaliteit",
    "Prijs",
    "Foto hashes",
]

BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def only_boms(data: bytes) -> bool:
    """A file of nothing but byte-order marks: the known crash of
    test_bad_input.py::test_bom_only_file."""
    if not data:
        return False
    while data:
        for bom in BOMS:
            if data.startswith(bom):
                data = data[len(bom) :]
                break
        else:
            return False
    return True


def read_everything(path: str, **kwargs) -> tuple[list[str], int]:
    """Open, read the header and every row; MhtoolError is an accepted outcome."""
    try:
        with open_input(path, **kwargs) as input_file:
            headers = list(input_file.headers)
            rows = sum(1 for _ in input_file)
            assert all(isinstance(h, str) for h in headers)
            return headers, rows
    except MhtoolError as exc:
        assert str(exc).strip(), "an error without a message"
        assert "\n" not in str(exc).strip(), str(exc)
        return [], -1


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# --- random bytes into open_input -------------------------------------------------------------

# Bytes that steer the readers into their interesting branches.
PREFIXES = st.sampled_from(
    [
        b"",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        b"PK\x03\x04",
        b"Meldingnummer,Datum melding,Omschrijving\n",
        b"Meldingnummer;Datum melding;Omschrijving\r\n",
        b"[",
        b"{",
        b'[{"Meldingnummer": ',
    ]
)
CSV_ALPHABET = st.sampled_from(
    [
        b",",
        b";",
        b"\t",
        b'"',
        b"\n",
        b"\r",
        b"\r\n",
        b"\x00",
        b" ",
        b"a",
        b"1",
        b"-",
        b"\xc3\xa9",
        b"\xe9",
        b"\x81",
        b"\xff",
        b"\xef\xbb\xbf",
        b"[",
        b"]",
        b"{",
        b"}",
        b":",
        b"\\",
    ]
)
TEXTISH = st.lists(CSV_ALPHABET, max_size=200).map(b"".join)
RANDOM_FILE = st.tuples(PREFIXES, st.one_of(st.binary(max_size=2000), TEXTISH)).map(lambda t: t[0] + t[1])


@FUZZ
@given(data=RANDOM_FILE, suffix=st.sampled_from([".csv", ".txt", ".tsv", ".json", ".xlsx", ""]))
def test_random_bytes_as_a_file(scratch, data, suffix):
    assume(not only_boms(data))
    path = scratch / f"random{suffix}"
    path.write_bytes(data)
    read_everything(str(path))


@FUZZ
@given(
    data=RANDOM_FILE,
    delimiter=st.sampled_from([None, ",", ";", "\t"]),
    encoding=st.sampled_from([None, "utf-8", "cp1252", "latin-1"]),
)
def test_random_bytes_on_stdin(data, delimiter, encoding):
    assume(not only_boms(data))
    try:
        with open_input("-", stdin=io.BytesIO(data), delimiter=delimiter, encoding=encoding) as input_file:
            for _ in input_file:
                pass
    except MhtoolError:
        pass


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(
    value=st.one_of(JSON_VALUES, st.lists(st.dictionaries(st.text(max_size=15), JSON_VALUES, max_size=6), max_size=6))
)
def test_random_json_values(scratch, value):
    path = scratch / "value.json"
    path.write_text(json.dumps(value), "utf-8")
    headers, rows = read_everything(str(path))
    if rows >= 0:
        assert isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _small_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in [
        ["Meldingnummer", "Datum melding", "Omschrijving"],
        ["M-1", "01-07-2026", "tekst"],
        ["M-2", 46000, "nog een"],
    ]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WORKBOOK = _small_workbook()


@FUZZ_FIXED
@given(data=st.binary(max_size=3000))
def test_random_bytes_in_a_zip_named_xlsx(scratch, data):
    """Valid zip container, nonsense inside: not a workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", data)
        archive.writestr("xl/workbook.xml", data[::-1])
    path = scratch / "zip.xlsx"
    path.write_bytes(buffer.getvalue())
    read_everything(str(path))


@FUZZ_FIXED
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 6))
def test_damaged_workbook(scratch, seed, flips):
    rnd = random.Random(seed)
    data = bytearray(WORKBOOK)
    for _ in range(flips):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    path = scratch / "damaged.xlsx"
    path.write_bytes(bytes(data))
    read_everything(str(path))


# --- random rows through the import commands ------------------------------------------------

CELL_TEXT = st.lists(
    st.one_of(
        st.sampled_from(list("\"';,\t\n\r\x00 -+=@/.:|") + ["06-12345678", "+31 6", "é", "ß", "€", "\ufeff"]),
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(list(string.ascii_letters + string.digits)),
    ),
    max_size=30,
).map("".join)
DATEISH = st.one_of(
    CELL_TEXT,
    st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
    st.sampled_from(["31-02-2026", "1-1-2999", "2026-07-01", "45000", "wo 25 nov. 2026 om 14.03 uur", ""]),
)


def _table(draw, all_headers, date_headers):
    headers = draw(st.lists(st.sampled_from(all_headers), unique=True, max_size=len(all_headers)))
    if draw(st.booleans()):
        headers.append(draw(CELL_TEXT))  # an unknown (maybe odd) column
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        rows.append([draw(DATEISH if h in date_headers else CELL_TEXT) for h in headers])
    return headers, rows


@st.composite
def signal_tables(draw):
    return _table(draw, MMA_HEADERS, {"Datum melding"})


@st.composite
def ad_tables(draw):
    return _table(draw, AD_HEADERS, {"Datum"})


def _xlsx_safe(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def write_table(path: Path, fmt: str, delimiter: str, headers, rows) -> Path:
    if fmt == "csv":
        target = path.with_suffix(".csv")
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows([headers, *rows])
        target.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    elif fmt == "json":
        target = path.with_suffix(".json")
        items = [dict(zip(headers, row)) for row in rows]
        target.write_text(json.dumps(items, ensure_ascii=False), "utf-8")
    else:
        from openpyxl import Workbook

        target = path.with_suffix(".xlsx")
        workbook = Workbook()
        for row in [headers, *rows]:
            workbook.active.append([_xlsx_safe(v) for v in row])
        workbook.save(target)
    return target


def check_cli(result) -> None:
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
        assert "Internal error" not in stream, stream
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    if result.exit_code == 1:
        assert result.stderr.strip(), "exit 1 without saying why"


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzzdb") / "fuzz.db"


def invoke(db: Path, *args, input=None):
    runner = CliRunner()
    return runner.invoke(
        cli, ["--db", str(db), *map(str, args)], input=input, catch_exceptions=False, env={"MHTOOL_DB": None}
    )


@FUZZ
@given(
    table=signal_tables(),
    fmt=st.sampled_from(["csv", "json", "xlsx"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    skip_bad=st.booleans(),
)
def test_random_signal_rows_through_import(scratch, cli_db, table, fmt, delimiter, skip_bad):
    headers, rows = table
    path = write_table(scratch / "signals", fmt, delimiter, headers, rows)
    extra = ["--skip-bad"] if skip_bad else []
    check_cli(invoke(cli_db, "signals", "import", "--source", "mma", *extra, path))


@FUZZ
@given(table=ad_tables(), fmt=st.sampled_from(["csv", "json", "xlsx"]), delimiter=st.sampled_from([",", ";", "\t"]))
def test_random_ad_rows_through_import(scratch, cli_db, table, fmt, delimiter):
    headers, rows = table
    path = write_table(scratch / "ads", fmt, delimiter, headers, rows)
    check_cli(invoke(cli_db, "ads", "import", path))


@FUZZ
@given(data=RANDOM_FILE, command=st.sampled_from([("signals", "import", "--source", "mma"), ("ads", "import")]))
def test_random_bytes_on_stdin_through_import(cli_db, data, command):
    assume(not only_boms(data))
    check_cli(invoke(cli_db, *command, "-", input=data))


VALID_RUNS = iter(range(10**9))


@FUZZ
@given(table=signal_tables())
def test_valid_signal_rows_all_arrive(scratch, cli_db, table):
    """Rows that satisfy the contract are all stored, whatever their text."""
    _, rows = table
    assume(rows)  # a header-only file is refused on purpose (see test_bad_input.py)
    run_id = next(VALID_RUNS)
    headers = ["Meldingnummer", "Datum melding", "Omschrijving", "Betrokkenen"]
    good = [
        [f"FZ-{run_id}-{i}", "01-07-2026", (r[0] if r else "") + "x", r[-1] if r else ""] for i, r in enumerate(rows)
    ]
    path = write_table(scratch / "valid", "csv", ";", headers, good)
    result = invoke(cli_db, "signals", "import", "--source", "mma", path)
    check_cli(result)
    if not any("\x00" in cell for row in good for cell in row):
        assert result.exit_code == 0, result.stderr
        import sqlite3

        conn = sqlite3.connect(str(cli_db))
        try:
            stored = conn.execute("SELECT count(*) FROM signals WHERE ref LIKE ?", (f"FZ-{run_id}-%",)).fetchone()[0]
        finally:
            conn.close()
        assert stored == len(good)
