"""Hostile input files, generated (most are far too big to commit): used by
tests/test_hostile_input.py and benchmarks/hostile_memory.py.

Each writer takes the target path and a size and returns the path. The
.xlsx ones are minimal workbooks written part by part, so that a bomb of
gigabytes of XML costs a few MB of disk and a few seconds to write.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MMA_HEADER = ["Meldingnummer", "Datum melding", "Categorie", "Plaats", "Omschrijving", "Telefoonnummer"]
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"/>'


def _cell(column: int, row: int, value: str) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{letters}{row}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def header_row_xml() -> str:
    return '<row r="1">' + "".join(_cell(i, 1, h) for i, h in enumerate(MMA_HEADER, 1)) + "</row>"


def _chunks(pieces, repeat_piece: str | None = None, times: int = 0, block: int = 1 << 20):
    """Yield the pieces, with `repeat_piece` repeated `times` times in blocks."""
    yield from pieces[:1]
    if repeat_piece:
        per_block = max(1, block // len(repeat_piece))
        full, rest = divmod(times, per_block)
        chunk = (repeat_piece * per_block).encode()
        for _ in range(full):
            yield chunk
        if rest:
            yield (repeat_piece * rest).encode()
    yield from pieces[1:]


def write_workbook(
    path: Path, sheet_parts, strings_parts=None, styles: str = _STYLES, extra_styles_bytes: int = 0
) -> Path:
    """A workbook whose sheet (and shared strings) XML is the concatenation
    of `sheet_parts` (str or bytes pieces, written as they come)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/styles.xml", "w", force_zip64=True) as part:
            part.write(styles.encode()[:-2] if extra_styles_bytes else styles.encode())
            if extra_styles_bytes:
                part.write(b"><!--")
                block = b" " * (1 << 20)
                for _ in range(extra_styles_bytes // len(block)):
                    part.write(block)
                part.write(b"--></styleSheet>")
        if strings_parts is None:
            strings_parts = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}"/>']
        for name, parts in (("xl/worksheets/sheet1.xml", sheet_parts), ("xl/sharedStrings.xml", strings_parts)):
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in parts:
                    part.write(piece.encode() if isinstance(piece, str) else piece)
    return path


def _sheet(rows_xml_start: str, repeat: str | None = None, times: int = 0, end: str = ""):
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>' + rows_xml_start
    return _chunks([head, end + "</sheetData></worksheet>"], repeat, times)


# --- the attacks ----------------------------------------------------------------


def xlsx_shared_string_bomb(path: Path, chars: int) -> Path:
    """One shared string of `chars` characters, used by the text cell of row 2."""
    strings = _chunks(
        [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}"><si><t>', "</t></si></sst>"], "a", chars
    )
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>B-1</t></is></c><c r="E2" t="s"><v>0</v></c></row>'
    return write_workbook(path, _sheet(header_row_xml() + row), strings)


def xlsx_inline_string_bomb(path: Path, chars: int) -> Path:
    start = header_row_xml() + '<row r="2"><c r="E2" t="inlineStr"><is><t>'
    return write_workbook(path, _sheet(start, "a", chars, "</t></is></c></row>"))


def xlsx_wide_row(path: Path, cells: int) -> Path:
    """Row 2 with `cells` cells (each `<c><v>1</v></c>`, no position)."""
    return write_workbook(path, _sheet(header_row_xml() + '<row r="2">', "<c><v>1</v></c>", cells, "</row>"))


def xlsx_loose_elements(path: Path, elements: int) -> Path:
    """Elements openpyxl does not know, outside any row: it never frees them."""
    return write_workbook(path, _sheet(header_row_xml(), "<x/>", elements))


def xlsx_huge_attribute(path: Path, chars: int) -> Path:
    start = header_row_xml() + '<row r="2"><c r="A2" junk="'
    return write_workbook(path, _sheet(start, "a", chars, '"><v>1</v></c></row>'))


def xlsx_styles_bomb(path: Path, size: int) -> Path:
    return write_workbook(path, _sheet(header_row_xml()), extra_styles_bytes=size)


def xlsx_bad_rows(path: Path, rows: int) -> Path:
    """`rows` rows whose date cannot be read: each one a row error."""
    row = (
        '<row><c t="inlineStr"><is><t>R</t></is></c><c t="inlineStr"><is><t>gisteren</t></is></c>'
        '<c/><c/><c t="inlineStr"><is><t>tekst</t></is></c></row>'
    )
    return write_workbook(path, _sheet(header_row_xml(), row, rows))


def xlsx_many_rows(path: Path, rows: int) -> Path:
    """`rows` empty-ish rows (more than Excel can hold)."""
    return write_workbook(path, _sheet(header_row_xml(), "<row/>", rows))


def csv_long_line(path: Path, cells: int) -> Path:
    """A header, then one line of `cells` tiny cells."""
    with open(path, "wb") as handle:
        handle.write((";".join(MMA_HEADER) + "\n").encode())
        block = b"x;" * (1 << 19)
        full, rest = divmod(cells, 1 << 19)
        for _ in range(full):
            handle.write(block)
        handle.write(b"x;" * rest + b"x\n")
    return path


def csv_bad_rows(path: Path, rows: int) -> Path:
    """`rows` rows whose date cannot be read."""
    with open(path, "wb") as handle:
        handle.write((";".join(MMA_HEADER) + "\n").encode())
        line = b"R;gisteren;;;tekst;\n"
        block = line * 10_000
        for _ in range(rows // 10_000):
            handle.write(block)
        handle.write(line * (rows % 10_000))
    return path


def json_big(path: Path, size: int) -> Path:
    """A JSON list of objects of about `size` bytes."""
    item = b'{"Meldingnummer": "J", "Datum melding": "01-07-2026", "Omschrijving": "tekst"},'
    with open(path, "wb") as handle:
        handle.write(b"[")
        for _ in range(size // len(item)):
            handle.write(item)
        handle.write(item[:-1] + b"]")
    return path


def normal_csv(path: Path, rows: int) -> Path:
    """A valid MMA export: the reference in the same run."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(";".join(MMA_HEADER) + "\n")
        for i in range(rows):
            handle.write(f"N-{i};01-07-2026;Seksuele uitbuiting;Hilversum;melding nummer {i};06-{10000000 + i}\n")
    return path
