"""Readers (CSV dialects, encodings, XLSX, JSON, stdin, header matching) and
writers (every --format, --excel, -o, formula neutralisation), plus the
one-line error contract for unreadable input and bad usage."""

from __future__ import annotations

import datetime
import hashlib
import io
import json

import pytest

from mhtool.io.writers import neutralise, write_rows

HEADER = ["Meldingnummer", "Datum melding", "Categorie", "Plaats", "Omschrijving", "Telefoonnummer"]
ROWS = [
    ["M-1", "01-10-2026", "Mensenhandel - seksuele uitbuiting", "Bussum", "Vrouw in woning", "06-12345678"],
    ["M-2", "02-10-2026", "Arbeidsuitbuiting", "Huizen", "Werkers in de kas", ""],
]


def imported(query):
    return query("SELECT ref, reported_on, place, gemeente, text FROM signals ORDER BY ref")


def one_line_error(result, code=1):
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- CSV dialects and encodings -------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(run, files, query, delimiter):
    path = files.csv("in.csv", [HEADER, *ROWS], delimiter=delimiter)
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    assert imported(query) == [
        ("M-1", "2026-10-01", "Bussum", "Gooise Meren", "Vrouw in woning"),
        ("M-2", "2026-10-02", "Huizen", "Huizen", "Werkers in de kas"),
    ]


def test_csv_with_commas_inside_semicolon_file(run, files, query):
    rows = [HEADER, ["M-1", "01-10-2026", "", "Laren", "Man, vrouw, kind; gezien", ""]]
    path = files.csv("in.csv", rows, delimiter=";")
    assert run("signals", "import", "--source", "mma", path).exit_code == 0
    assert query("SELECT text FROM signals") == [("Man, vrouw, kind; gezien",)]


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-8", False), ("utf-8", True), ("cp1252", False)],
    ids=["utf8", "utf8-bom", "windows-1252"],
)
def test_encodings(run, files, query, encoding, bom):
    text = "Meisje uit Oekraïne werkt in café, ‘s nachts — geëxploiteerd"
    rows = [["Meldingnummer", "Datum melding", "Plaats", "Omschrijving"], ["M-é1", "03-10-2026", "Blaricum", text]]
    newline = "\r\n" if encoding == "cp1252" else "\n"  # as Dutch Excel writes it
    path = files.csv("in.csv", rows, delimiter=";", encoding=encoding, bom=bom, newline=newline)
    if encoding == "cp1252":
        assert b"\xe9" in path.read_bytes() and b"\xeb" in path.read_bytes()
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT ref, text, gemeente FROM signals") == [("M-é1", text, "Blaricum")]


def test_bom_does_not_spoil_first_header(run, files, query):
    # The BOM sits in front of the first header; a required column there must still match.
    path = files.csv("in.csv", [HEADER, ROWS[0]], bom=True)
    assert run("signals", "import", "--source", "mma", path).exit_code == 0
    assert query("SELECT ref FROM signals") == [("M-1",)]


def test_windows_1252_detected_beyond_first_64_kb(run, files, query):
    lines = ["Meldingnummer;Datum melding;Plaats;Omschrijving"]
    lines += [
        f"M-{i:04d};01-10-2026;Laren;Gewone melding {i} met wat tekst om de regel wat langer te maken"
        for i in range(900)
    ]
    lines.append("M-LAST;01-10-2026;Laren;Meisje in café, geëxploiteerd")
    path = files.bytes("big.csv", ("\r\n".join(lines) + "\r\n").encode("cp1252"))
    assert path.read_bytes().find(b"\xe9") > 64 * 1024
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT text FROM signals WHERE ref = 'M-LAST'") == [("Meisje in café, geëxploiteerd",)]


def test_encoding_override(run, files, query):
    rows = [["Meldingnummer", "Datum melding", "Omschrijving", "Plaats"], ["M-1", "03-10-2026", "café", "Laren"]]
    path = files.csv("in.csv", rows, encoding="cp1252")
    result = run("signals", "import", "--source", "mma", "--encoding", "latin-1", path)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT text FROM signals") == [("café",)]


# --- XLSX -------------------------------------------------------------------------


def test_xlsx_first_sheet_by_default(run, files, query):
    path = files.xlsx(
        "in.xlsx", {"Export": [HEADER, *ROWS], "Other": [HEADER, ["X-9", "05-10-2026", "", "Laren", "Ander blad", ""]]}
    )
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    assert [r[0] for r in imported(query)] == ["M-1", "M-2"]


def test_xlsx_named_sheet(run, files, query):
    path = files.xlsx(
        "in.xlsx", {"Export": [HEADER, *ROWS], "Other": [HEADER, ["X-9", "05-10-2026", "", "Laren", "Ander blad", ""]]}
    )
    result = run("signals", "import", "--source", "mma", "--sheet", "Other", path)
    assert result.exit_code == 0, result.stderr
    assert imported(query) == [("X-9", "2026-10-05", "Laren", "Laren", "Ander blad")]


def test_xlsx_missing_sheet(run, files, count):
    path = files.xlsx("in.xlsx", {"Export": [HEADER, *ROWS]})
    result = run("signals", "import", "--source", "mma", "--sheet", "Nope", path)
    line = one_line_error(result)
    assert "Nope" in line and "in.xlsx" in line
    assert count("signals") == 0


def test_xlsx_real_date_and_number_cells(run, files, query):
    rows = [
        HEADER,
        [1001, datetime.datetime(2026, 10, 5, 14, 3), "", "Huizen", "Excel datum met tijd", 612345678],
        [1002, datetime.date(2026, 9, 30), "", "Laren", "Excel datum", None],
    ]
    path = files.xlsx("in.xlsx", {"Blad1": rows})
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    stored = query("SELECT ref, reported_on FROM signals ORDER BY ref")
    assert [r[0] for r in stored] == ["1001", "1002"]
    assert stored[0][1].startswith("2026-10-05")
    assert stored[1][1] == "2026-09-30"
    assert query("SELECT e164, valid FROM signal_phones") == [("+31612345678", 1)]


def test_xlsx_hash_and_file_name_recorded(run, files, query):
    path = files.xlsx("watch.xlsx", {"Blad1": [HEADER, *ROWS]})
    assert run("signals", "import", "--source", "mma", path).exit_code == 0
    assert query("SELECT file_name, file_sha256 FROM imports") == [
        ("watch.xlsx", hashlib.sha256(path.read_bytes()).hexdigest())
    ]


def test_xlsx_row_numbers_as_spreadsheet_shows(run, files, count):
    rows = [HEADER, ROWS[0], [None] * 6, ["M-3", "31-02-2020", "", "Laren", "Onmogelijke datum", ""]]
    path = files.xlsx("in.xlsx", {"Blad1": rows})
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 1
    assert f"{path}:4: Datum melding:" in result.stderr
    assert count("signals") == 0


# --- JSON and stdin -----------------------------------------------------------------


def test_json_list_of_objects(run, files, query):
    items = [
        {"Omschrijving": "Vrouw in woning", "Meldingnummer": "J-1", "Datum melding": "2026-10-01", "Plaats": "Bussum"},
        {
            "Meldingnummer": "J-2",
            "Datum melding": "02-10-2026",
            "Omschrijving": "Werkers",
            "Plaats": "Huizen",
            "Dossier": 7,
        },
    ]
    path = files.json("in.json", items)
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    assert imported(query) == [
        ("J-1", "2026-10-01", "Bussum", "Gooise Meren", "Vrouw in woning"),
        ("J-2", "2026-10-02", "Huizen", "Huizen", "Werkers"),
    ]
    raw = json.loads(query("SELECT raw FROM signals WHERE ref = 'J-2'")[0][0])
    assert raw["Dossier"] == 7


def test_json_not_a_list(run, files):
    path = files.json("in.json", {"Meldingnummer": "J-1"})
    line = one_line_error(run("signals", "import", "--source", "mma", path))
    assert "in.json" in line


def test_json_invalid(run, files):
    path = files.text("in.json", '[{"Meldingnummer": "J-1",')
    line = one_line_error(run("signals", "import", "--source", "mma", path))
    assert "in.json" in line


def test_stdin(run, query):
    data = "\n".join(";".join(r) for r in [HEADER, *ROWS]) + "\n"
    result = run("signals", "import", "--source", "mma", "-", input=data.encode("cp1252"))
    assert result.exit_code == 0, result.stderr
    assert [r[0] for r in imported(query)] == ["M-1", "M-2"]
    assert query("SELECT rows_new, file_sha256 FROM imports") == [
        (2, hashlib.sha256(data.encode("cp1252")).hexdigest())
    ]


def test_stdin_only_once(run):
    data = "\n".join(",".join(r) for r in [HEADER, *ROWS])
    result = run("signals", "import", "--source", "mma", "-", "-", input=data)
    assert result.exit_code == 2


# --- header matching -----------------------------------------------------------------


def test_headers_matched_loosely(run, files, query):
    header = ["MELDING-NR.", " datum_melding ", "CATEGORIE", "WOONPLAATS", "Omschrijving:", "Tel."]
    path = files.csv("in.csv", [header, ROWS[0]])
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    assert imported(query) == [("M-1", "2026-10-01", "Bussum", "Gooise Meren", "Vrouw in woning")]
    assert query("SELECT category FROM signals") == [("Mensenhandel - seksuele uitbuiting",)]
    assert query("SELECT e164 FROM signal_phones") == [("+31612345678",)]


def test_headers_ignore_accents(run, files, query):
    header = ["Meldingnummér", "Dátum melding", "Omschrïjving", "Pláats"]
    path = files.csv("in.csv", [header, ["M-1", "01-10-2026", "Tekst", "Laren"]])
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    assert imported(query) == [("M-1", "2026-10-01", "Laren", "Laren", "Tekst")]


def test_watch_headers(run, files, query):
    header = [
        "Signaal ID",
        "Gevonden op",
        "Soort uitbuiting",
        "Werkgebied",
        "Samenvatting",
        "Link",
        "Leeftijd slachtoffer",
    ]
    row = [
        "WN-1",
        "04-10-2026",
        "Seksuele uitbuiting",
        "Naarden",
        "Advertentie met minderjarige",
        "https://x.example/ad/1",
        "17",
    ]
    path = files.csv("watch.csv", [header, row])
    result = run("signals", "import", "--source", "watch", path)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT source, ref, reported_on, type, gemeente, url, victim_age FROM signals") == [
        ("watch", "WN-1", "2026-10-04", "sexual", "Gooise Meren", "https://x.example/ad/1", 17)
    ]


def test_column_order_does_not_matter(run, files, query):
    order = [4, 2, 0, 5, 3, 1]
    first = files.csv("a.csv", [HEADER, ROWS[0]])
    shuffled = files.csv("b.csv", [[HEADER[i] for i in order], [ROWS[0][i] for i in order]])
    assert run("signals", "import", "--source", "mma", shuffled).exit_code == 0
    record = query("SELECT ref, reported_on, category, place, gemeente, text, type, raw FROM signals")
    # The same row in another column order is the same signal: already present.
    again = run("signals", "import", "--source", "mma", first)
    assert again.exit_code == 0, again.stderr
    assert "0 new" in again.stdout and "1 already present" in again.stdout
    assert query("SELECT ref, reported_on, category, place, gemeente, text, type, raw FROM signals") == record
    assert record[0][:6] == (
        "M-1",
        "2026-10-01",
        "Mensenhandel - seksuele uitbuiting",
        "Bussum",
        "Gooise Meren",
        "Vrouw in woning",
    )


def test_unknown_columns_kept_in_raw(run, files):
    header = [*HEADER, "Behandelaar", "Interne notitie"]
    path = files.csv("in.csv", [header, [*ROWS[0], "Jansen", "Zie dossier 12"]])
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    shown = run("signals", "show", "M-1", "--format", "json")
    assert shown.exit_code == 0
    raw = json.loads(shown.stdout)["raw"]
    assert raw["Behandelaar"] == "Jansen"
    assert raw["Interne notitie"] == "Zie dossier 12"
    assert raw["Omschrijving"] == "Vrouw in woning"


def test_empty_rows_skipped(run, files, query):
    text = (
        "Meldingnummer;Datum melding;Plaats;Omschrijving\n"
        "\n"
        "M-1;01-10-2026;Laren;Een\n"
        ";;;\n"
        "  ;  ; ;\n"
        "M-2;02-10-2026;Huizen;Twee\n"
        "\n"
    )
    path = files.text("in.csv", text)
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 0, result.stderr
    assert [r[0] for r in imported(query)] == ["M-1", "M-2"]
    assert "2 read" in result.stdout


def test_whitespace_stripped(run, files, query):
    path = files.csv("in.csv", [HEADER, ["  M-1 ", " 01-10-2026 ", "", "  Bussum ", "  Tekst  ", ""]])
    assert run("signals", "import", "--source", "mma", path).exit_code == 0
    assert imported(query) == [("M-1", "2026-10-01", "Bussum", "Gooise Meren", "Tekst")]


def test_map_option(run, files, query, count):
    header = ["Dossier", "Datum melding", "Plaats", "Verhaal"]
    path = files.csv("in.csv", [header, ["D-1", "01-10-2026", "Laren", "Gezien"]])
    missing = run("signals", "import", "--source", "mma", path)
    line = one_line_error(missing)
    assert "in.csv:1" in line and "ref" in line
    assert count("signals") == 0

    result = run("signals", "import", "--source", "mma", "--map", "dossier=ref", "--map", "VERHAAL=text", path)
    assert result.exit_code == 0, result.stderr
    assert query("SELECT ref, text FROM signals") == [("D-1", "Gezien")]


@pytest.mark.parametrize("option", ["Dossier", "Dossier=nosuchfield", "=ref"])
def test_map_option_bad_usage(run, files, option):
    path = files.csv("in.csv", [HEADER, ROWS[0]])
    result = run("signals", "import", "--source", "mma", "--map", option, path)
    assert result.exit_code == 2
    assert "--map" in result.stderr


# --- errors on unreadable input ---------------------------------------------------------


def test_missing_file(run, tmp_path):
    path = tmp_path / "nope.csv"
    line = one_line_error(run("signals", "import", "--source", "mma", path))
    assert "nope.csv" in line


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"], ids=["zero-bytes", "blank-lines"])
def test_empty_file(run, files, content):
    path = files.bytes("empty.csv", content)
    line = one_line_error(run("signals", "import", "--source", "mma", path))
    assert "empty.csv" in line and "empty" in line


def test_header_only_file_imports_nothing(run, files, count):
    # Issue 6: a header-only file is bad input (most likely a failed export).
    path = files.csv("in.csv", [HEADER])
    result = run("signals", "import", "--source", "mma", path)
    assert result.exit_code == 1
    assert "no data rows" in result.stderr
    assert count("signals") == 0


def test_binary_garbage(run, files, count):
    path = files.bytes("garbage.csv", bytes(range(256)) * 40)
    line = one_line_error(run("signals", "import", "--source", "mma", path))
    assert "garbage.csv" in line
    assert count("signals") == 0


def test_xlsx_that_is_really_text(run, files):
    path = files.csv("fake.xlsx", [HEADER, *ROWS])
    line = one_line_error(run("signals", "import", "--source", "mma", path))
    assert "fake.xlsx" in line


def test_required_column_missing(run, files, count):
    header = ["Meldingnummer", "Datum melding", "Plaats"]
    path = files.csv("in.csv", [header, ["M-1", "01-10-2026", "Laren"]])
    line = one_line_error(run("signals", "import", "--source", "mma", path))
    assert "in.csv" in line and "text" in line and "Omschrijving" in line
    assert count("signals") == 0


def test_db_that_is_not_a_database(run_raw, files):
    not_db = files.text("notes.db", "dit is geen database\n")
    line = one_line_error(run_raw("--db", not_db, "db", "info"))
    assert "notes.db" in line
    assert not_db.read_text() == "dit is geen database\n"


def test_zip_that_is_not_a_workbook(run, files):
    import zipfile

    path = files.path("zip.xlsx")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hallo")
    line = one_line_error(run("signals", "import", "--source", "mma", path))
    assert "zip.xlsx" in line


def test_unbalanced_quote(run, files, count):
    path = files.text("in.csv", 'Meldingnummer,Datum melding,Omschrijving\nM-1,01-10-2026,"nooit gesloten\n')
    line = one_line_error(run("signals", "import", "--source", "mma", path))
    assert "in.csv" in line
    assert count("signals") == 0


def test_second_file_unreadable_writes_nothing(run, files, tmp_path, count):
    good = files.csv("good.csv", [HEADER, *ROWS])
    result = run("signals", "import", "--source", "mma", good, tmp_path / "missing.csv")
    assert result.exit_code == 1
    assert "missing.csv" in result.stderr
    assert count("signals") == 0


@pytest.mark.parametrize(
    "args",
    [
        ["signals", "import", "--source", "mma", "--no-such-option", "x.csv"],
        ["signals", "import", "x.csv"],
        ["signals", "import", "--source", "mma"],
        ["signals", "import", "--source", "mma", "--rejects", "r.csv", "x.csv"],
        ["signals", "import", "--source", "nosuchsource", "x.csv"],
        ["signals", "list", "--type", "bogus"],
        ["signals", "list", "--format", "xml"],
        ["signals", "list", "--from", "gisteren-ofzo"],
        ["signals", "list", "--gemeente", "Atlantis"],
        ["nosuchcommand"],
    ],
)
def test_bad_usage_exit_2(run, files, args):
    files.csv("x.csv", [HEADER, *ROWS])
    args = [str(files.path("x.csv")) if a == "x.csv" else a for a in args]
    result = run(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.strip()


# --- writers ------------------------------------------------------------------------------

LIST_START = ["id", "source", "ref", "reported_on", "type", "gemeente", "place", "phones", "text"]
FORMULA = '=HYPERLINK("http://x")'


@pytest.fixture
def sample(run, files):
    rows = [
        HEADER,
        ["M-1", "01-10-2026", "Mensenhandel - seksuele uitbuiting", "Bussum", "Vrouw in woning", "06-12345678"],
        ["M-2", "02-10-2026", "Arbeidsuitbuiting", "Huizen", FORMULA, ""],
        ["M-3", "03-10-2026", "", "Laren", "Regel één\nregel twee | met pipe", ""],
    ]
    result = run("signals", "import", "--source", "mma", files.csv("in.csv", rows))
    assert result.exit_code == 0, result.stderr


def test_list_csv(run, sample, read_csv):
    result = run("signals", "list", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].split(",")[: len(LIST_START)] == LIST_START
    rows = read_csv(result.stdout)
    assert [r["ref"] for r in rows] == ["M-1", "M-2", "M-3"]
    assert rows[0]["reported_on"] == "2026-10-01"
    assert rows[0]["type"] == "seksuele uitbuiting"
    assert rows[1]["type"] == "arbeidsuitbuiting"
    assert rows[0]["gemeente"] == "Gooise Meren" and rows[0]["place"] == "Bussum"
    assert "+31612345678" in rows[0]["phones"]
    assert rows[1]["text"] == "'" + FORMULA
    assert rows[2]["text"] == "Regel één\nregel twee | met pipe"


def test_list_default_is_csv_when_not_a_terminal(run, sample, read_csv):
    result = run("signals", "list")
    assert result.exit_code == 0
    assert [r["ref"] for r in read_csv(result.stdout)] == ["M-1", "M-2", "M-3"]


def test_list_tsv(run, sample, read_csv):
    result = run("signals", "list", "--format", "tsv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split("\t")[: len(LIST_START)] == LIST_START
    rows = read_csv(result.stdout, delimiter="\t")
    assert [r["ref"] for r in rows] == ["M-1", "M-2", "M-3"]
    assert rows[1]["text"] == "'" + FORMULA


def test_list_json_unchanged(run, sample):
    result = run("signals", "list", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert list(rows[0])[: len(LIST_START)] == LIST_START
    assert [r["ref"] for r in rows] == ["M-1", "M-2", "M-3"]
    assert rows[1]["text"] == FORMULA
    assert rows[0]["reported_on"] == "2026-10-01"
    assert isinstance(rows[0]["id"], int)


def test_list_ndjson(run, sample):
    result = run("signals", "list", "--format", "ndjson")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["ref"] for r in rows] == ["M-1", "M-2", "M-3"]
    assert rows[1]["text"] == FORMULA


def test_list_markdown(run, sample):
    result = run("signals", "list", "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")][: len(LIST_START)] == LIST_START
    assert set(lines[1].replace("|", "").replace(" ", "")) <= {"-", ":"}
    assert len(lines) == 5  # header, separator, three rows: the newline in M-3 did not split its row
    assert "'" + FORMULA.replace("://", "\\://") in result.stdout  # a bare link is escaped too
    assert "| " + FORMULA not in result.stdout
    assert "\\|" in lines[4]


def test_list_table(run, sample):
    result = run("signals", "list", "--format", "table")
    assert result.exit_code == 0
    assert "M-1" in result.stdout and "M-3" in result.stdout
    assert "seksuele uitbuiting" in result.stdout
    assert "Gooise Meren" in result.stdout


def test_excel_csv_to_stdout(run, sample, read_csv):
    result = run("signals", "list", "--excel")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    text = result.stdout_bytes.decode("utf-8-sig")
    assert text.splitlines()[0].split(";")[: len(LIST_START)] == LIST_START
    rows = read_csv(text, delimiter=";")
    assert [r["ref"] for r in rows] == ["M-1", "M-2", "M-3"]
    assert rows[1]["text"] == "'" + FORMULA


def test_excel_csv_to_file(run, sample, tmp_path, read_csv):
    out = tmp_path / "uit.csv"
    result = run("signals", "list", "--excel", "-o", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = read_csv(data.decode("utf-8-sig"), delimiter=";")
    assert [r["ref"] for r in rows] == ["M-1", "M-2", "M-3"]
    assert rows[2]["text"] == "Regel één\nregel twee | met pipe"


@pytest.mark.parametrize("fmt, suffix", [("csv", "csv"), ("json", "json"), ("ndjson", "ndjson"), ("tsv", "tsv")])
def test_output_file(run, sample, tmp_path, fmt, suffix):
    out = tmp_path / f"uit.{suffix}"
    result = run("signals", "list", "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    text = out.read_text("utf-8")
    assert not text.startswith("\ufeff")
    assert text == run("signals", "list", "--format", fmt).stdout


def test_output_format_from_extension(run, sample, tmp_path):
    out = tmp_path / "uit.json"
    assert run("signals", "list", "-o", out).exit_code == 0
    assert [r["ref"] for r in json.loads(out.read_text("utf-8"))] == ["M-1", "M-2", "M-3"]


def test_output_file_in_missing_folder(run, sample, tmp_path):
    result = run("signals", "list", "--format", "csv", "-o", tmp_path / "no" / "uit.csv")
    one_line_error(result)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_writer_neutralises_formula_starts(start, fmt, delimiter, read_csv):
    value = start + "1+2"
    out = io.StringIO()
    write_rows([{"a": value, "b": "veilig"}], ["a", "b"], fmt, stdout=out)
    body = out.getvalue().split("\n", 1)[1]
    assert body.lstrip('"').startswith("'" + value)
    if start != "\r":  # a bare CR is covered by test_csv_cell_with_bare_carriage_return
        assert read_csv(out.getvalue(), delimiter=delimiter) == [{"a": "'" + value, "b": "veilig"}]


@pytest.mark.parametrize("value", ["\r1+2", "regel een\rregel twee"])
@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_csv_cell_with_bare_carriage_return(value, fmt, delimiter, read_csv):
    out = io.StringIO()
    write_rows([{"a": value, "b": "veilig"}], ["a", "b"], fmt, stdout=out)
    rows = read_csv(out.getvalue(), delimiter=delimiter)
    assert len(rows) == 1 and rows[0]["b"] == "veilig"
    assert rows[0]["a"] in (value, "'" + value)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_writer_markdown_neutralises(start):
    out = io.StringIO()
    write_rows([{"a": start + "SUM(A1)"}], ["a"], "markdown", stdout=out)
    assert "'" + start + "SUM(A1)" in out.getvalue()


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_writer_json_keeps_values(fmt):
    out = io.StringIO()
    rows = [{"a": "=1+2", "b": -3, "c": None, "d": datetime.date(2026, 10, 1)}]
    write_rows(rows, ["a", "b", "c", "d"], fmt, stdout=out)
    text = out.getvalue()
    parsed = json.loads(text)[0] if fmt == "json" else json.loads(text.splitlines()[0])
    assert parsed == {"a": "=1+2", "b": -3, "c": None, "d": "2026-10-01"}


def test_writer_leaves_numbers_and_plain_text():
    assert neutralise(-5) == -5
    assert neutralise("Hilversum") == "Hilversum"
    assert neutralise("a=b") == "a=b"
    assert neutralise("") == ""


def test_writer_empty_result(read_csv):
    out = io.StringIO()
    assert write_rows([], ["a", "b"], "csv", stdout=out) == 0
    assert out.getvalue().strip() == "a,b"
    out = io.StringIO()
    write_rows([], ["a"], "json", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_a_json_number_is_not_taken_for_an_excel_date(run, files, count):
    items = [{"Meldingnummer": "J-1", "Datum melding": 46000, "Omschrijving": "x", "Plaats": "Huizen"}]
    result = run("signals", "import", "--source", "mma", files.json("in.json", items))
    assert result.exit_code == 1
    assert "in.json:1: Datum melding:" in result.stderr
    assert count("signals") == 0
