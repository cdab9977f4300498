"""`--publish` (small counts suppressed, primary and secondary) and `--notes`."""

from __future__ import annotations

import pytest
from test_report import M11, column, markdown_tables
from test_stats import SIGNALS, load_signals

from mhtool.report.model import COUNT, SUPPRESSED, TEXT, Table
from mhtool.report.publish import hidden_cells, suppress


@pytest.fixture
def data(run, files, db_path):
    load_signals(run, files, db_path, [*SIGNALS, M11])


def recoverable(table: Table) -> list[tuple[int, str]]:
    """Hidden cells that a reader could recompute from a line's total."""
    found = []
    counts = [c for c in table.columns if table.kinds[c] == COUNT and c != table.total_column]
    lines = []
    if table.total_row:
        last = len(table.rows) - 1
        for c in counts + ([table.total_column] if table.total_column else []):
            lines.append([(i, c) for i in range(len(table.rows))])
        assert last >= 0
    if table.total_column:
        lines += [[(i, c) for c in [*counts, table.total_column]] for i in range(len(table.rows))]
    for cells in lines:
        hidden = [cell for cell in cells if table.rows[cell[0]][cell[1]] == SUPPRESSED]
        if len(hidden) == 1:
            found.append(hidden[0])
    return found


def test_one_small_count_hides_a_second_cell():
    rows = [{"k": "a", "n": 12}, {"k": "b", "n": 3}, {"k": "c", "n": 7}, {"k": "d", "n": 0}, {"k": "totaal", "n": 22}]
    table = Table(["k", "n"], {"k": TEXT, "n": COUNT}, rows)
    assert hidden_cells(table) == {(1, "n"), (2, "n")}  # 3, then the smallest other non-zero: 7
    suppress(table)
    assert [r["n"] for r in rows] == [12, SUPPRESSED, SUPPRESSED, 0, 22]
    assert recoverable(table) == []


def test_a_cross_table_is_safe_in_rows_and_columns():
    # The trend: a row per quarter, a column per type, a total column.
    rows = [{"q": "Q1", "x": 10, "y": 2, "z": 9, "totaal": 21}, {"q": "Q2", "x": 8, "y": 6, "z": 1, "totaal": 15}]
    table = Table(
        ["q", "x", "y", "z", "totaal"],
        {"q": TEXT, "x": COUNT, "y": COUNT, "z": COUNT, "totaal": COUNT},
        rows,
        total_row=False,
        total_column="totaal",
    )
    suppress(table)
    assert rows[0]["y"] == SUPPRESSED and rows[1]["z"] == SUPPRESSED
    assert recoverable(table) == []
    assert rows[0]["totaal"] == 21


@pytest.mark.parametrize("values", [[1, 0, 0, 9], [4, 4, 4, 12], [2, 30, 40, 5], [0, 0, 3, 0], [1, 2, 3, 4]])
def test_no_hidden_cell_can_be_recomputed(values):
    rows = [{"k": str(i), "n": v} for i, v in enumerate(values)] + [{"k": "totaal", "n": sum(values)}]
    table = Table(["k", "n"], {"k": TEXT, "n": COUNT}, rows)
    suppress(table)
    assert all(r["n"] not in range(1, 5) for r in rows)
    assert recoverable(table) == []


def test_published_report(data, run):
    result = run("report", "quarterly", "2026Q3", "--publish")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "Alleen voor intern gebruik" not in text
    assert "Voor publicatie" in text
    tables = markdown_tables(text)
    by_type = tables["Situaties naar type uitbuiting"]
    # every type has 1 or 2 situations: all hidden, the total (5) stays
    assert column(by_type, "type", "aantal") == {
        "seksuele uitbuiting": "<5",
        "arbeidsuitbuiting": "<5",
        "criminele uitbuiting": "<5",
        "overig": "<5",
        "totaal": "5",
    }
    assert column(by_type, "type", "aandeel %")["overig"] == ""  # a share would give the count away
    nationality = column(tables["Slachtoffers: nationaliteit"], "nationaliteit", "aantal")
    assert nationality.pop("totaal") == "5"
    assert set(nationality.values()) == {"<5"}
    assert "minder dan 5" in text
    for heading, rows in tables.items():
        for row in rows:
            assert not any(
                value in {"1", "2", "3", "4"}
                for key, value in row.items()
                if key not in ("kwartaal", "leeftijd", "week")
            ), (heading, row)


def test_victim_data_only_for_the_region(data, run):
    tables = markdown_tables(run("report", "quarterly", "2026Q3", "--publish").stdout)
    for heading, rows in tables.items():
        if heading.startswith("Slachtoffers"):
            assert "gemeente" not in rows[0] and "plaats" not in rows[0]


def test_published_xlsx_shows_suppressed_cells_as_text(data, run, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "publicatie.xlsx"
    assert run("report", "quarterly", "2026Q3", "--publish", "-o", target).exit_code == 0
    book = load_workbook(target)
    cells = {row[0].value: row[1] for row in book["Naar type"].iter_rows(min_row=2) if row[0].value}
    assert cells["overig"].value == "<5" and cells["overig"].data_type == "s"
    assert "Voor publicatie" in book["Inhoud"]["A2"].value


NOTES = """Tekst voor de voorpagina.

## Situaties naar gemeente

Hilversum telt de meeste situaties, zoals elk kwartaal.

De stijging in Eemnes komt door één melder.

# bronnen
Alle meldingen kwamen via M.
"""


def test_notes_are_placed_under_their_headings(data, run, tmp_path):
    notes = tmp_path / "toelichting.md"
    notes.write_text(NOTES, encoding="utf-8")
    text = run("report", "quarterly", "2026Q3", "--notes", notes).stdout
    sections = {block.partition("\n")[0]: block for block in text.split("\n## ")[1:]}
    assert "Hilversum telt de meeste situaties, zoals elk kwartaal." in sections["Situaties naar gemeente"]
    assert "De stijging in Eemnes komt door één melder." in sections["Situaties naar gemeente"]
    assert "Alle meldingen kwamen via M." in sections["Bronnen"]
    assert "Tekst voor de voorpagina." in text.split("\n## ")[0]


def test_notes_in_docx(data, run, tmp_path):
    from docx import Document

    notes = tmp_path / "toelichting.md"
    notes.write_text(NOTES, encoding="utf-8")
    target = tmp_path / "rapport.docx"
    assert run("report", "quarterly", "2026Q3", "--notes", notes, "-o", target).exit_code == 0
    paragraphs = [p.text for p in Document(str(target)).paragraphs]
    heading = paragraphs.index("Situaties naar gemeente")
    assert "Hilversum telt de meeste situaties, zoals elk kwartaal." in paragraphs[heading : heading + 4]


def test_notes_with_an_unknown_heading(data, run, tmp_path):
    notes = tmp_path / "toelichting.md"
    notes.write_text("## Iets anders\n\nTekst.\n", encoding="utf-8")
    result = run("report", "quarterly", "2026Q3", "--notes", notes)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "matches no section" in result.stderr
    missing = run("report", "quarterly", "2026Q3", "--notes", tmp_path / "nergens.md")
    assert missing.exit_code == 1 and missing.stderr.count("\n") == 1
