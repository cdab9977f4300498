"""Bad input corpus (tests/data/bad/): every file a partner might send is
refused with one clear line naming file, row and column, exit code 1, the
database unchanged and no traceback; or, where the issue says so (invalid
phone numbers, formula cells), accepted with a warning or as plain data.

Large or generated cases (a 5 MB cell, mixed encodings past the 64 KB
sample, a corrupted workbook, deeply nested JSON) are written into tmp_path.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
import struct
import zipfile
from pathlib import Path

import pytest

BAD = Path(__file__).resolve().parent / "data" / "bad"

MMA_HEADER = ["Meldingnummer", "Datum melding", "Categorie", "Plaats", "Omschrijving", "Telefoonnummer"]
AD_HEADER = ["Site", "Advertentie ID", "Datum", "Tekst", "Naam", "Leeftijd", "Telefoon", "Plaats"]

SEED_SIGNALS = [
    ["SEED-1", "01-07-2026", "Seksuele uitbuiting", "Hilversum", "Zaadje een: woning met veel bezoek", "06-12345678"],
    ["SEED-2", "02-07-2026", "Arbeidsuitbuiting", "Bussum", "Zaadje twee: slapen op het werk", ""],
]
SEED_ADS = [
    ["seed.example", "SEED-AD-1", "16-11-2026", "Nieuw in Huizen, 24/7", "Mila", "22", "06-23456789", "Huizen"],
]

# Tables whose content an import may change; the audit trail is expected to
# record even a failed command, so it is left out of the comparison.
IGNORED_TABLES = {"audit", "sqlite_sequence"}


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(str(db_path))
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in tables
            if t not in IGNORED_TABLES
        }
    finally:
        conn.close()


@pytest.fixture
def seeded(run, files, db_path):
    """A database with a few signals and ads; returns its snapshot."""
    result = run("signals", "import", "--source", "mma", files.csv("seed.csv", [MMA_HEADER, *SEED_SIGNALS]))
    assert result.exit_code == 0, result.stderr
    result = run("ads", "import", files.csv("seed_ads.csv", [AD_HEADER, *SEED_ADS]))
    assert result.exit_code == 0, result.stderr
    before = snapshot(db_path)
    assert len(before["signals"]) == 2 and len(before["ads"]) == 1
    return before


def one_error_line(result) -> str:
    """The single line a whole-file problem gives; exit code 1."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("Error: "), line
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream and "Internal error" not in stream
    return line


def assert_names(line: str, name: str, row: int | None = None, column: str | None = None) -> None:
    assert name in line, line
    if row is not None:
        assert re.search(rf"{re.escape(name)}:{row}\b", line), line
    if column is not None:
        assert column in line, line


# --- whole-file problems ---------------------------------------------------------------------

# (file in tests/data/bad, row, text that names the column)
SIGNAL_FILE_CASES = [
    ("empty.csv", None, None),
    ("binary_garbage.csv", None, None),
    ("really_text.xlsx", None, None),
    ("zip_not_workbook.xlsx", None, None),
    ("wrong_delimiter.csv", 1, "Meldingnummer"),
    ("unclosed_quote.csv", 3, None),
    ("duplicate_headers.csv", 1, "Omschrijving"),
    ("missing_column.csv", 1, "Datum melding"),
    ("not_a_list.json", None, None),
    ("list_with_non_object.json", 2, None),
    ("invalid_json.json", None, None),
]


@pytest.mark.parametrize("name, row, column", SIGNAL_FILE_CASES, ids=[c[0] for c in SIGNAL_FILE_CASES])
def test_signals_import_refuses_bad_file(run, seeded, db_path, name, row, column):
    path = BAD / name
    assert path.exists()
    line = one_error_line(run("signals", "import", "--source", "mma", path))
    assert_names(line, str(path), row, column)
    assert snapshot(db_path) == seeded


AD_FILE_CASES = [
    ("empty.csv", None, None),
    ("binary_garbage.csv", None, None),
    ("really_text.xlsx", None, None),
    ("ads_wrong_delimiter.csv", 1, "Site"),
    ("ads_unclosed_quote.csv", 2, None),
    ("ads_duplicate_headers.csv", 1, "Tekst"),
    ("ads_missing_column.csv", 1, "Advertentie ID"),
    ("not_a_list.json", None, None),
    ("list_with_non_object.json", 2, None),
]


@pytest.mark.parametrize("name, row, column", AD_FILE_CASES, ids=[c[0] for c in AD_FILE_CASES])
def test_ads_import_refuses_bad_file(run, seeded, db_path, name, row, column):
    path = BAD / name
    line = one_error_line(run("ads", "import", path))
    assert_names(line, str(path), row, column)
    assert snapshot(db_path) == seeded


@pytest.mark.parametrize("command", [("signals", "import", "--source", "mma"), ("ads", "import")])
def test_missing_file(run, seeded, db_path, tmp_path, command):
    path = tmp_path / "vanished.csv"
    line = one_error_line(run(*command, path))
    assert_names(line, str(path))
    assert "not found" in line
    assert snapshot(db_path) == seeded


def test_file_that_vanishes_after_the_first_writes_nothing(run, seeded, db_path, files, tmp_path):
    """A good first file is not kept when the second one is gone: one transaction."""
    good = files.csv("good.csv", [MMA_HEADER, ["NEW-1", "03-07-2026", "", "Huizen", "Nieuw en goed", ""]])
    gone = tmp_path / "gone.csv"
    line = one_error_line(run("signals", "import", "--source", "mma", good, gone))
    assert_names(line, str(gone))
    assert snapshot(db_path) == seeded


def test_folder_instead_of_file(run, seeded, db_path, tmp_path):
    folder = tmp_path / "export.csv"
    folder.mkdir()
    line = one_error_line(run("signals", "import", "--source", "mma", folder))
    assert_names(line, str(folder))
    assert snapshot(db_path) == seeded


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read a chmod 000 file")
@pytest.mark.parametrize("command", [("signals", "import", "--source", "mma"), ("ads", "import")])
def test_unreadable_file(run, seeded, db_path, files, command):
    path = files.csv("locked.csv", [MMA_HEADER, SEED_SIGNALS[0]])
    path.chmod(0)
    try:
        line = one_error_line(run(*command, path))
    finally:
        path.chmod(0o600)
    assert_names(line, str(path))
    assert "permission" in line
    assert snapshot(db_path) == seeded


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_unreadable_file_even_as_root(run, seeded, db_path, files, monkeypatch, suffix):
    """The same refusal, with the permission error simulated (root reads anything)."""
    import builtins

    path = files.path("locked" + suffix)
    path.write_bytes(b"")
    real_open = builtins.open
    real_read_bytes = Path.read_bytes

    def denied(self, *args, **kwargs):
        if Path(self) == path:
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(self, *args, **kwargs)

    def denied_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(file) == path:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", denied)
    monkeypatch.setattr(builtins, "open", denied_open)
    line = one_error_line(run("signals", "import", "--source", "mma", path))
    monkeypatch.undo()
    assert_names(line, str(path))
    assert "permission" in line.lower()
    assert snapshot(db_path) == seeded


def test_binary_garbage_on_stdin(run, seeded, db_path):
    data = (BAD / "binary_garbage.csv").read_bytes()
    line = one_error_line(run("signals", "import", "--source", "mma", "-", input=data))
    assert "<stdin>" in line
    assert snapshot(db_path) == seeded


def test_empty_stdin(run, seeded, db_path):
    line = one_error_line(run("ads", "import", "-", input=b""))
    assert "<stdin>" in line
    assert snapshot(db_path) == seeded


# --- a 5 MB cell ------------------------------------------------------------------------------

FIVE_MB = 5 * 1024 * 1024


def test_five_mb_cell_csv(run, seeded, db_path, files):
    path = files.text("huge.csv", ",".join(MMA_HEADER) + "\nHUGE-1,03-07-2026,,Huizen," + "x" * FIVE_MB + ",\n")
    line = one_error_line(run("signals", "import", "--source", "mma", path))
    assert_names(line, str(path), row=2)
    assert "larger" in line
    assert snapshot(db_path) == seeded


def test_five_mb_cell_csv_on_stdin_for_ads(run, seeded, db_path):
    data = (",".join(AD_HEADER) + "\nx.example,HUGE-AD,16-11-2026," + "y" * FIVE_MB + ",Anna,25,,Huizen\n").encode()
    line = one_error_line(run("ads", "import", "-", input=data))
    assert_names(line, "<stdin>", row=2)
    assert snapshot(db_path) == seeded


def test_five_mb_cell_json(run, seeded, db_path, files):
    path = files.json(
        "huge.json", [{"Meldingnummer": "HUGE-J", "Datum melding": "03-07-2026", "Omschrijving": "z" * FIVE_MB}]
    )
    line = one_error_line(run("signals", "import", "--source", "mma", path))
    assert_names(line, str(path), row=1)
    assert snapshot(db_path) == seeded


# --- encodings --------------------------------------------------------------------------------


def test_mixed_encodings_small_file(run, seeded, db_path):
    path = BAD / "mixed_encoding.csv"
    line = one_error_line(run("signals", "import", "--source", "mma", path))
    assert_names(line, str(path), row=3)
    assert snapshot(db_path) == seeded


def test_mixed_encodings_small_file_never_stores_mojibake(run, seeded, query):
    """Whatever the verdict on the file, 'é' written in UTF-8 is never stored as 'Ã©'."""
    run("signals", "import", "--source", "mma", BAD / "mixed_encoding.csv")
    texts = [r[0] for r in query("SELECT text FROM signals")]
    assert not any("Ã" in t for t in texts), texts


def test_mixed_encodings_past_the_sample(run, seeded, db_path, files):
    """UTF-8 'é' early, a Windows-1252 byte after the first 64 KB."""
    lines = [",".join(MMA_HEADER), "MIX-1,03-07-2026,,Huizen,Caf\u00e9 in UTF-8,"]
    lines += [
        f"MIX-{i},03-07-2026,,Huizen,Gewone regel {i} met wat tekst om de buffer te vullen," for i in range(2, 2000)
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8") + b"MIX-2000,03-07-2026,,Huizen,Caf\xe9 in cp1252,\n"
    assert len(data) > 64 * 1024 + 1000
    path = files.bytes("mixed_late.csv", data)
    line = one_error_line(run("signals", "import", "--source", "mma", path))
    match = re.search(rf"{re.escape(str(path))}:(\d+):", line)
    assert match, line
    assert 2 <= int(match.group(1)) <= 2001
    assert snapshot(db_path) == seeded


@pytest.mark.parametrize("bom", ["utf-8", "utf-16"])
def test_bom_only_file(run_raw, seeded, db_path, files, bom):
    path = BAD / "bom_only.csv" if bom == "utf-8" else files.bytes("bom16.csv", b"\xff\xfe")
    line = one_error_line(run_raw("--db", db_path, "signals", "import", "--source", "mma", path))
    assert_names(line, str(path))
    assert snapshot(db_path) == seeded


# --- broken containers ------------------------------------------------------------------------


def _corrupt_sheet_xlsx(target: Path) -> Path:
    """A real workbook whose sheet's deflate stream is damaged (zip listing intact)."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in [MMA_HEADER, ["CX-1", "03-07-2026", "", "Huizen", "Werkmap", ""]]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    offset = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[offset + 26 : offset + 30])
    start = offset + 30 + name_len + extra_len
    data[start : start + 8] = b"\xff" * 8
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("command", [("signals", "import", "--source", "mma"), ("ads", "import")])
def test_corrupted_workbook(run_raw, seeded, db_path, tmp_path, command):
    path = _corrupt_sheet_xlsx(tmp_path / "damaged.xlsx")
    line = one_error_line(run_raw("--db", db_path, *command, path))
    assert_names(line, str(path))
    assert snapshot(db_path) == seeded


def test_zip_with_broken_xml(run_raw, seeded, db_path):
    path = BAD / "zip_bad_xml.xlsx"
    line = one_error_line(run_raw("--db", db_path, "signals", "import", "--source", "mma", path))
    assert_names(line, str(path))
    assert snapshot(db_path) == seeded


def test_deeply_nested_json(run_raw, seeded, db_path, files):
    path = files.text("deep.json", "[" * 100_000 + "]" * 100_000)
    line = one_error_line(run_raw("--db", db_path, "signals", "import", "--source", "mma", path))
    assert_names(line, str(path))
    assert snapshot(db_path) == seeded


# --- header only ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, command",
    [("header_only.csv", ("signals", "import", "--source", "mma")), ("ads_header_only.csv", ("ads", "import"))],
)
def test_header_only_file(run, seeded, db_path, name, command):
    path = BAD / name
    line = one_error_line(run(*command, path))
    assert_names(line, str(path))
    assert snapshot(db_path) == seeded


def test_header_only_file_stores_no_rows(run, seeded, query):
    """Whatever the exit code: no signal comes out of a file without rows."""
    result = run("signals", "import", "--source", "mma", BAD / "header_only.csv")
    assert result.exit_code in (0, 1)
    assert query("SELECT count(*) FROM signals")[0][0] == 2


# --- row-level problems -----------------------------------------------------------------------


def test_future_and_impossible_dates(run, seeded, db_path):
    path = BAD / "bad_dates.csv"
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 1
    name = re.escape(str(path))
    problems = [line for line in result.stderr.splitlines() if re.match(rf"{name}:\d+: ", line)]
    assert len(problems) == 3, result.stderr
    assert re.fullmatch(rf"{name}:2: Datum melding: .*future.*", problems[0]), problems
    assert re.fullmatch(rf"{name}:3: Datum melding: .*impossible.*", problems[1]), problems
    assert re.fullmatch(rf"{name}:5: Datum melding: .+", problems[2]), problems
    assert not any(f"{path}:4:" in line for line in result.stderr.splitlines())  # the good row
    assert "nothing imported" in result.stderr
    assert snapshot(db_path) == seeded


def test_ads_future_and_impossible_dates(run, seeded, db_path):
    path = BAD / "ads_bad_dates.csv"
    result = run("ads", "import", path)
    assert result.exit_code == 1
    name = re.escape(str(path))
    problems = [line for line in result.stderr.splitlines() if re.match(rf"{name}:\d+: ", line)]
    assert [p.split(":")[1] for p in problems] == ["2", "3"], result.stderr
    assert all(": Datum: " in p for p in problems), problems
    assert "future" in problems[0] and "impossible" in problems[1]
    assert snapshot(db_path) == seeded


def test_bad_dates_with_skip_bad_keep_the_good_row(run, seeded, query):
    result = run("signals", "import", "--source", "mma", "--skip-bad", BAD / "bad_dates.csv")
    assert result.exit_code == 0, result.stderr
    assert [r[0] for r in query("SELECT ref FROM signals WHERE ref LIKE 'BAD-%'")] == ["BAD-T3"]


def test_invalid_phone_numbers_are_kept_with_a_warning(run, seeded, query):
    path = BAD / "invalid_phones.csv"
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        f"warning: {path}:2: Telefoonnummer: phone number not valid; kept as written",
        f"warning: {path}:3: Telefoonnummer: phone number not valid; kept as written",
    ]
    assert query(
        "SELECT s.ref, p.raw, p.valid FROM signal_phones p JOIN signals s ON s.id = p.signal_id "
        "WHERE s.ref LIKE 'BAD-%' ORDER BY s.ref"
    ) == [("BAD-F1", "12345", 0), ("BAD-F2", "06-1234", 0)]


def test_ads_invalid_phone_numbers_are_kept_with_a_warning(run, seeded, query):
    path = BAD / "ads_invalid_phones.csv"
    result = run("ads", "import", path)
    assert result.exit_code == 0, result.stderr
    assert f"warning: {path}:2: Telefoon: phone number not valid; kept as written" in result.stderr
    assert query(
        "SELECT p.raw, p.valid FROM ad_phones p JOIN ad_observations o ON o.id = p.observation "
        "JOIN ads a ON a.id = o.ad WHERE a.ad_id = 'AD-F1'"
    ) == [("12345", 0)]


HYPERLINK = '=HYPERLINK("http://x","klik")'


def test_formula_cell_is_data_and_neutralised_on_csv_output(run, seeded, query, read_csv):
    result = run("signals", "import", "--source", "mma", BAD / "formula_cells.csv")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT text FROM signals WHERE ref = 'BAD-H1'") == [(HYPERLINK,)]
    listed = run("signals", "list", "--search", "BAD-H1", "--format", "csv")
    assert listed.exit_code == 0
    rows = read_csv(listed.stdout)
    assert [r["text"] for r in rows] == ["'" + HYPERLINK]
    as_json = run("signals", "list", "--search", "BAD-H1", "--format", "json")
    assert HYPERLINK.replace('"', '\\"') in as_json.stdout


def test_ads_formula_cell_is_data_and_neutralised_on_csv_output(run, seeded, query, read_csv):
    result = run("ads", "import", BAD / "ads_formula_cells.csv")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT text FROM ad_observations o JOIN ads a ON a.id = o.ad WHERE a.ad_id = 'AD-H1'") == [
        (HYPERLINK,)
    ]
    exported = run("export", "ads", "--format", "csv")
    assert exported.exit_code == 0, exported.stderr
    texts = [r["text"] for r in read_csv(exported.stdout) if r["ad_id"] == "AD-H1"]
    assert texts == ["'" + HYPERLINK]


# Files that import fine: the attack is on the output; tested where named.
OUTPUT_ATTACKS = [
    ("signals", "terminal_controls.csv", "test_terminal_safety.py"),
    ("ads", "ads_terminal_controls.csv", "test_terminal_safety.py"),
    ("signals", "split_formulas.csv", "test_spreadsheet_safety.py"),
]


@pytest.mark.parametrize("kind, name, module", OUTPUT_ATTACKS, ids=[a[1] for a in OUTPUT_ATTACKS])
def test_output_attacks_import_cleanly(run, kind, name, module):
    args = ["signals", "import", "--source", "mma"] if kind == "signals" else ["ads", "import"]
    result = run(*args, BAD / name)
    assert result.exit_code == 0, result.stderr
    assert name in (Path(__file__).parent / module).read_text("utf-8")


def test_every_corpus_file_has_a_test():
    """Keep the corpus and the tests in step (this module and the hostile-input ones)."""
    source = "".join(p.read_text("utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    names = sorted(p.name for p in BAD.iterdir() if p.name != "README.md")
    assert names, BAD
    assert [n for n in names if f'"{n}"' not in source] == []
