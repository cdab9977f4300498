"""Bounds on what an .xlsx workbook may make the XML parser build.

openpyxl builds each cell's text, each row's elements and the shared-string
table in full before we see them, and never frees elements it does not know.
A 1.5 MB workbook can so expand into gigabytes. Every part openpyxl opens is
read through `GuardedZip`, which first passes the bytes through a streaming
expat check of its own; the check refuses a part as soon as it exceeds a
limit, before openpyxl has seen the bytes that would exceed it.

- parts other than sheets and shared strings are read whole by openpyxl:
  their declared size is capped (zipfile never inflates beyond it);
- a sheet: rows, cells per row, text per cell and per row, elements that are
  not in a row (openpyxl keeps those for the whole read);
- shared strings: text per string, the table's total (it is kept in memory);
- any part: markup expat must buffer before reporting it (a huge tag or
  comment).
"""

from __future__ import annotations

import re
import zipfile
from xml.parsers import expat

from mhtool.io.limits import MAX_CELL_CHARS, MAX_CELLS_PER_ROW, MAX_ROW_CHARS, MAX_SHEET_ROWS, count

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL, _STRING = f"{NS} row", f"{NS} c", f"{NS} si"
MAX_PART_BYTES = 32 * 1024 * 1024  # styles, workbook, theme, relations, ...
MAX_SHARED_STRINGS_MEMORY = 160 * 1024 * 1024  # estimated: characters + per-string overhead
STRING_OVERHEAD = 64  # bytes a Python str and its list slot cost
MAX_LOOSE_ELEMENTS = 100_000  # elements outside rows / strings
MAX_ELEMENTS_PER_UNIT = 8 * MAX_CELLS_PER_ROW
MAX_PENDING_BYTES = 4 * 1024 * 1024  # markup expat holds without reporting it
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_STRINGS_PART = re.compile(r"xl/sharedstrings\.xml", re.IGNORECASE)


class WorkbookTooLarge(Exception):
    """A part exceeds a limit; the message says which and where."""


class _Guard:
    """Streaming expat check of one part. `unit` is the element openpyxl
    frees when done with it (a row, a shared string); `cell` the element
    whose text is one value."""

    def __init__(self, unit: str, cell: str, max_units: int, unit_name: str):
        self.unit, self.cell, self.max_units, self.unit_name = unit, cell, max_units, unit_name
        self.units = 0
        self.loose = 0
        self.in_unit = 0  # depth inside the current unit (0: outside)
        self.in_cell = 0
        self.unit_elements = 0
        self.unit_cells = 0
        self.unit_chars = 0
        self.cell_chars = 0
        self.loose_chars = 0
        self.total_chars = 0
        self.fed = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.seen = 0  # byte index of the last reported event

    def feed(self, data: bytes, final: bool = False) -> None:
        self.fed += len(data)
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError:
            return  # not our concern: openpyxl reports damaged XML
        if self.fed - self.seen > MAX_PENDING_BYTES:
            raise WorkbookTooLarge(f"a piece of markup larger than {count(MAX_PENDING_BYTES)} bytes")

    def _mark(self) -> None:
        self.seen = self.parser.CurrentByteIndex

    def _start(self, tag, attrs) -> None:
        self._mark()
        if self.in_unit:
            self.in_unit += 1
            self.unit_elements += 1
            if self.unit_elements > MAX_ELEMENTS_PER_UNIT:
                raise WorkbookTooLarge(f"{self._where()}: more than {count(MAX_ELEMENTS_PER_UNIT)} elements")
            if tag == self.cell and not self.in_cell:
                self.in_cell = 1
                self.cell_chars = 0
                self.unit_cells += 1
                if self.unit_cells > MAX_CELLS_PER_ROW:
                    raise WorkbookTooLarge(f"{self._where()}: more than {count(MAX_CELLS_PER_ROW)} cells")
            elif self.in_cell:
                self.in_cell += 1
        elif tag == self.unit:
            self.units += 1
            if self.units > self.max_units:
                raise WorkbookTooLarge(f"more than {count(self.max_units)} {self.unit_name}s")
            self.in_unit, self.unit_elements, self.unit_cells, self.unit_chars = 1, 0, 0, 0
            if self.cell == self.unit:
                self.in_cell, self.cell_chars = 1, 0
        else:
            self.loose += 1
            if self.loose > MAX_LOOSE_ELEMENTS:
                raise WorkbookTooLarge(f"more than {count(MAX_LOOSE_ELEMENTS)} elements outside the data")

    def _end(self, tag) -> None:
        self._mark()
        if self.in_cell:
            self.in_cell -= 1
        if self.in_unit:
            self.in_unit -= 1

    def _text(self, data: str) -> None:
        self._mark()
        size = len(data)
        self.total_chars += size
        if self.in_cell:
            self.cell_chars += size
            if self.cell_chars > MAX_CELL_CHARS:
                raise WorkbookTooLarge(f"{self._where()}: a cell is larger than {count(MAX_CELL_CHARS)} characters")
        if self.in_unit:
            self.unit_chars += size
            if self.unit_chars > MAX_ROW_CHARS:
                raise WorkbookTooLarge(f"{self._where()}: more than {count(MAX_ROW_CHARS)} characters")
        else:
            self.loose_chars += size
            if self.loose_chars > MAX_CELL_CHARS:
                raise WorkbookTooLarge(f"more than {count(MAX_CELL_CHARS)} characters outside the data")

    def _where(self) -> str:
        return f"{self.unit_name} {count(self.units)}"


class _SharedStringsGuard(_Guard):
    def __init__(self):
        super().__init__(_STRING, _STRING, MAX_SHARED_STRINGS_MEMORY // STRING_OVERHEAD, "shared string")

    def _end(self, tag) -> None:
        super()._end(tag)
        if self.total_chars + self.units * STRING_OVERHEAD > MAX_SHARED_STRINGS_MEMORY:
            raise WorkbookTooLarge(
                f"the shared strings would take more than {MAX_SHARED_STRINGS_MEMORY // 2**20} MB of memory"
            )


class _GuardedStream:
    """A zip member read through a guard: bytes reach the caller only after
    the guard has accepted them."""

    def __init__(self, raw, guard: _Guard, part: str):
        self._raw, self._guard, self._part = raw, guard, part

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        try:
            self._guard.feed(data, final=not data)
        except WorkbookTooLarge as exc:
            raise WorkbookTooLarge(f"{self._part}: {exc}") from None
        return data

    def close(self) -> None:
        self._raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class GuardedZip(zipfile.ZipFile):
    """A ZipFile whose members are read through the guards above."""

    def open(self, name, mode="r", pwd=None, **kwargs):
        if mode != "r":
            return super().open(name, mode, pwd, **kwargs)
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        raw = super().open(info, mode, pwd, **kwargs)
        part = info.filename
        if _SHEET_PART.fullmatch(part):
            return _GuardedStream(raw, _Guard(_ROW, _CELL, MAX_SHEET_ROWS, "row"), part)
        if _STRINGS_PART.fullmatch(part):
            return _GuardedStream(raw, _SharedStringsGuard(), part)
        if info.file_size > MAX_PART_BYTES:
            raw.close()
            raise WorkbookTooLarge(f"{part}: larger than {MAX_PART_BYTES // 2**20} MB unpacked")
        return raw
