"""The report as an Excel workbook a municipality can print as it is.

A contents sheet (the front page and a link to every table), then a sheet
per section: typed cells with number formats (Excel and LibreOffice show
them with the locale's separators: `#,##0` as 1.234, `0.0%` as 33,3%),
columns fitted to their content, the header row frozen, filtered and
repeated on every printed page, A4 fitted to the page width, a header and
footer with the title, period, "vertrouwelijk" and page numbers, and a
native chart beside the table."""

from __future__ import annotations

from mhtool.io.writers import save_workbook, xlsx_cell
from mhtool.report.model import COUNT, RATE, SHARE, SUPPRESSED, Report, Section, Table

FORMATS = {COUNT: "#,##0", SHARE: "0.0%", RATE: "0.00"}
WIDEST = 60


def _value(value, kind: str):
    """A cell's value as Excel stores it: a share of 33.3 (%) as 0.333."""
    if value is None or value == SUPPRESSED:
        return value
    if kind == SHARE and isinstance(value, (int, float)):
        return round(value / 100, 4)
    return xlsx_cell(value)


def _shown(value, kind: str) -> str:
    """Roughly what Excel shows, to size the column."""
    if isinstance(value, float):
        return f"{value:,.1f}%" if kind == SHARE else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def _fit_columns(sheet, table: Table) -> None:
    from openpyxl.utils import get_column_letter

    for number, column in enumerate(table.columns, 1):
        kind = table.kinds[column]
        longest = max([len(column) + 3] + [len(_shown(row.get(column), kind)) for row in table.rows])
        sheet.column_dimensions[get_column_letter(number)].width = min(WIDEST, longest + 2)


def _print_setup(sheet, report: Report, section: Section) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if section.chart else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = False
    title = report.title.replace("&", "&&")
    sheet.oddHeader.left.text = title
    sheet.oddHeader.right.text = f"Periode {report.period.label}"
    sheet.oddFooter.left.text = "vertrouwelijk"
    sheet.oddFooter.center.text = section.title.replace("&", "&&")
    sheet.oddFooter.right.text = "Pagina &P van &N"


def _chart(sheet, section: Section, row: int):
    from openpyxl.chart import BarChart, LineChart, Reference

    spec, table = section.chart, section.table
    if not spec or not table.body:
        return
    chart = LineChart() if spec.kind == "line" else BarChart()
    if spec.kind == "bar":  # horizontal bars, first row on top: long labels stay readable
        chart.type = "bar"
        chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl hides the axes otherwise
    chart.title = spec.title
    chart.height, chart.width = 8, 16
    last = len(table.body) + 1
    for name in spec.values:
        number = table.columns.index(name) + 1
        chart.add_data(Reference(sheet, min_col=number, min_row=1, max_row=last), titles_from_data=True)
    first = table.columns.index(spec.category) + 1
    chart.set_categories(Reference(sheet, min_col=first, min_row=2, max_row=last))
    if len(spec.values) == 1:
        chart.legend = None
    sheet.add_chart(chart, f"A{row}")  # below the table and its text, so nothing overlaps


def _section_sheet(workbook, report: Report, section: Section, name: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = workbook.create_sheet(name)
    table = section.table
    sheet.append([xlsx_cell(c) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
        cell.alignment = Alignment(wrap_text=False)
    for row in table.rows:
        sheet.append([_value(row.get(c), table.kinds[c]) for c in table.columns])
        for number, column in enumerate(table.columns, 1):
            cell = sheet.cell(sheet.max_row, number)
            if table.kinds[column] in FORMATS:
                cell.number_format = FORMATS[table.kinds[column]]
                cell.alignment = Alignment(horizontal="right")
    if table.total_row and table.rows:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.body) + 1}"
    _fit_columns(sheet, table)
    below = sheet.max_row + 2
    for text in [*section.sentences, *section.notes, *([section.note] if section.note else [])]:
        sheet.cell(below, 1, xlsx_cell(text)).alignment = Alignment(wrap_text=False)
        below += 1
    _chart(sheet, section, below + 1)
    _print_setup(sheet, report, section)


def sheet_names(report: Report) -> list[str]:
    """Unique sheet names Excel accepts (31 characters, none of []:*?/\\)."""
    names: list[str] = []
    for section in report.sections:
        base = "".join(" " if ch in "[]:*?/\\" else ch for ch in section.sheet)[:28].strip() or "Tabel"
        name, n = base, 2
        while name.casefold() in (x.casefold() for x in [*names, "Inhoud"]):
            name, n = f"{base} {n}", n + 1
        names.append(name)
    return names


def _contents(sheet, report: Report, names: list[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([report.status])
    sheet.append([])
    for label, value in report.facts:
        sheet.append([label, xlsx_cell(value)])
    for paragraph in report.intro_notes:
        sheet.append([xlsx_cell(paragraph)])
    sheet.append([])
    sheet.append(["Inhoud"])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    for section, name in zip(report.sections, names):
        sheet.append([section.title])
        cell = sheet.cell(sheet.max_row, 1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{name}'!A1")
        cell.style = "Hyperlink"
    sheet.column_dimensions["A"].width = max(34, *(len(s.title) + 2 for s in report.sections))
    sheet.column_dimensions["B"].width = min(WIDEST, max(len(v) for _, v in report.facts) + 2)


def write_xlsx(report: Report, path: str) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    contents = workbook.active
    contents.title = "Inhoud"
    names = sheet_names(report)
    _contents(contents, report, names)
    contents.page_setup.paperSize = contents.PAPERSIZE_A4
    contents.sheet_properties.pageSetUpPr.fitToPage = True
    contents.page_setup.fitToHeight = 0
    contents.oddFooter.left.text = "vertrouwelijk"
    contents.oddFooter.right.text = "Pagina &P van &N"
    for section, name in zip(report.sections, names):
        _section_sheet(workbook, report, section, name)
    save_workbook(workbook, path)
