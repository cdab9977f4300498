"""The report as a workbook, opened with openpyxl as a municipality's Excel
would open it: typed cells, number formats, widths, charts, print set-up."""

from __future__ import annotations

import pytest
from test_report import M11, table_rows
from test_stats import SIGNALS, load_signals


@pytest.fixture
def book(run, files, db_path, tmp_path):
    from openpyxl import load_workbook

    load_signals(run, files, db_path, [*SIGNALS, M11])
    target = tmp_path / "rapport.xlsx"
    result = run("report", "quarterly", "2026Q3", "-o", target)
    assert result.exit_code == 0, result.stderr
    return load_workbook(target)


def test_typed_cells_and_number_formats(book):
    sheet = book["Naar gemeente"]
    assert [c.value for c in sheet[1]] == ["gemeente", "aantal", "aandeel %", "per 10.000 inwoners"]
    eemnes = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Eemnes")
    assert [c.data_type for c in eemnes] == ["s", "n", "n", "n"]
    assert [c.number_format for c in eemnes[1:]] == ["#,##0", "0.0%", "0.00"]
    assert eemnes[2].value == 0.2 and eemnes[3].value == 1.01
    assert sheet.cell(len(table_rows(sheet)), 1).value == "totaal"
    assert sheet.cell(len(table_rows(sheet)), 1).font.bold


def test_columns_fitted_to_content(book):
    sheet = book["Naar type"]
    widths = {c: sheet.column_dimensions[c].width for c in "ABCD"}
    assert widths["A"] >= len("criminele uitbuiting") + 1
    assert widths["D"] >= len("per 10.000 inwoners") + 1
    assert widths["B"] < widths["A"]
    assert book["Slachtoffers nationaliteit"].column_dimensions["A"].width >= len("nationaliteit") + 1


def test_header_frozen_filtered_and_printed_on_every_page(book):
    for name in book.sheetnames[1:]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref.startswith("A1:"), name
        assert sheet.print_title_rows == "$1:$1", name
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.oddHeader.left.text == "Voortgangsrapportage mensenhandel 2026Q3"
        assert sheet.oddHeader.right.text == "Periode 2026Q3"
        assert sheet.oddFooter.left.text == "vertrouwelijk"
        assert sheet.oddFooter.right.text == "Pagina &P van &N"
    # the filter leaves the total row out, so sorting keeps it last
    assert book["Naar gemeente"].auto_filter.ref == "A1:D8"


def test_native_charts(book):
    from openpyxl.chart import BarChart, LineChart

    kinds = {name: [type(c) for c in book[name]._charts] for name in book.sheetnames}
    assert kinds["Naar type"] == [BarChart]
    assert kinds["Naar gemeente"] == [BarChart]
    assert kinds["Trend"] == [LineChart]
    assert kinds["Slachtoffers leeftijd"] == [BarChart]
    assert kinds["Inhoud"] == []
    trend = book["Trend"]._charts[0]
    assert len(trend.series) == 5  # one line per type, not the total
    bars = book["Naar gemeente"]._charts[0]
    assert bars.series[0].val.numRef.f == "'Naar gemeente'!$B$2:$B$8"  # without the total row
    assert (bars.series[0].cat.numRef or bars.series[0].cat.strRef).f == "'Naar gemeente'!$A$2:$A$8"


def test_contents_sheet_without_repeated_titles(book):
    cells = [c.value for row in book["Inhoud"].iter_rows() for c in row if c.value]
    assert cells[0] == "Voortgangsrapportage mensenhandel 2026Q3"
    assert "Alleen voor intern gebruik" in cells[1]
    contents = cells[cells.index("Inhoud") + 1 :]
    assert contents == [
        "Situaties naar type uitbuiting",
        "Situaties naar gemeente",
        "Trend: de laatste vier kwartalen",
        "Bronnen",
        "Slachtoffers: geslacht",
        "Slachtoffers: leeftijd",
        "Slachtoffers: nationaliteit",
    ]
    assert not any(c.startswith(("Trend: Trend", "Bronnen: Bronnen")) for c in cells)
    link = next(c for row in book["Inhoud"].iter_rows() for c in row if c.value == "Bronnen")
    assert link.hyperlink.location == "'Bronnen'!A1"
    facts = {row[0].value: row[1].value for row in book["Inhoud"].iter_rows() if row[1].value}
    assert facts["Periode"] == "1 juli 2026 tot en met 30 september 2026"
    assert facts["Inwoners van de regio"] == "254.666 (peildatum 2025-01-01)"
    assert "Gemaakt op" in facts and "Regels advertenties" in facts and "Regio" in facts


def test_no_formulas_anywhere(book):
    formulas = [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    nationality = [row[0] for row in table_rows(book["Slachtoffers nationaliteit"])]
    assert "'=1+1" in nationality
