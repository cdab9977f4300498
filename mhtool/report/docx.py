"""The report as a Word document (python-docx) for the progress report:
a title page with the front-page facts, then a section per topic with its
sentences, the director's notes, its table and a chart (matplotlib, see
charts.py). python-docx is imported here only, when a report is made."""

from __future__ import annotations

import io

from mhtool.io.safety import visible
from mhtool.report.dutch import dutch
from mhtool.report.model import TEXT, Report, Section, Table


def _page_number(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _header_footer(document, report: Report) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = f"{report.title}\tPeriode {report.period.label}"
    footer = section.footer.paragraphs[0]
    footer.text = "vertrouwelijk\tPagina "
    _page_number(footer)


def _title_page(document, report: Report) -> None:
    from docx.shared import Pt

    document.add_heading(report.title, level=0)
    status = document.add_paragraph().add_run(report.status)
    status.bold = True
    status.font.size = Pt(12)
    facts = document.add_table(rows=0, cols=2)
    for label, value in report.facts:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
    for paragraph in report.intro_notes:
        document.add_paragraph(paragraph)
    document.add_page_break()


def _widths(table: Table, page: float = 16.5, per_char: float = 0.3) -> list[float]:
    """Column widths in cm: by the longest word of the (bold) header or value, shrunk to the page."""
    need = [
        1.5
        + max(
            [*(len(w) for w in column.split()), *(len(dutch(r.get(column), table.kinds[column])) for r in table.rows)]
        )
        for column in table.columns
    ]
    scale = min(per_char, page / sum(need))
    return [n * scale for n in need]


def _table(document, section: Section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    table = section.table
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Light Grid Accent 1"
    grid.autofit = False
    widths = [Cm(w) for w in _widths(table)]
    for cell, column in zip(grid.rows[0].cells, table.columns):
        cell.text = column
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, column in zip(cells, table.columns):
            cell.text = visible(dutch(row.get(column), table.kinds[column]))  # controls: XML cannot hold them
            if table.kinds[column] != TEXT:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for number, width in enumerate(widths):
        grid.columns[number].width = width
        for cell in grid.columns[number].cells:
            cell.width = width
    if table.total_row and table.rows:
        for cell in grid.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True


def _section(document, section: Section) -> None:
    from docx.shared import Cm, Pt

    document.add_heading(section.title, level=1)
    if section.sentences:
        document.add_paragraph(" ".join(section.sentences))
    for paragraph in section.notes:
        document.add_paragraph(paragraph)
    _table(document, section)
    if section.chart and section.table.body:
        from mhtool.report.charts import png

        document.add_picture(io.BytesIO(png(section)), width=Cm(16))
    if section.note:
        run = document.add_paragraph().add_run(section.note)
        run.italic = True
        run.font.size = Pt(9)


def write_docx(report: Report, path: str) -> None:
    from docx import Document
    from docx.shared import Cm

    document = Document()
    for part in document.sections:
        part.page_height, part.page_width = Cm(29.7), Cm(21.0)  # A4
        part.left_margin = part.right_margin = Cm(2.2)
    document.core_properties.title = report.title
    document.core_properties.author = "mhtool"
    _header_footer(document, report)
    _title_page(document, report)
    for section in report.sections:
        _section(document, section)
    document.save(path)
