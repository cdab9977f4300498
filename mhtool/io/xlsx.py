"""Read the first (or a named) sheet of an .xlsx workbook as numbered rows,
within the limits of `limits.py` (enforced while reading: see xlsxguard)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mhtool.io.inputfile import InputFile, ReadError, check_cell_sizes
from mhtool.io.xlsxguard import GuardedZip, WorkbookTooLarge


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _dimensions_not_read():
    """openpyxl reads each sheet's declared dimension while loading; a sheet
    without one is parsed to its end for it (a minute for 5 million rows,
    before the first row is read). We do not trust that dimension anyway
    (see reset_dimensions below), so it is not read."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    original = ReadOnlyWorksheet._get_size
    ReadOnlyWorksheet._get_size = lambda self: None
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = original


def _load(name: str, path: Path):
    import warnings
    import zipfile

    from openpyxl.reader.excel import ExcelReader

    # openpyxl's notes on odd workbooks (while loading and while reading
    # rows) would be lines on stderr besides our one.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
    try:
        reader = ExcelReader(str(path), read_only=True, data_only=True, keep_links=False)
        # Every part openpyxl reads goes through the guard, from the first one on.
        reader.archive.close()
        reader.archive = GuardedZip(str(path))
        with _dimensions_not_read():
            reader.read()
    except WorkbookTooLarge as exc:
        raise ReadError(f"{name}: workbook refused: {exc}") from None
    except OSError:
        raise  # open_input names it (permission denied, ...)
    except zipfile.BadZipFile:
        raise ReadError(
            f"{name}: not an .xlsx workbook (not a zip file); is it a CSV with the wrong extension?"
        ) from None
    except Exception as exc:  # openpyxl fails in many ways on damaged files
        raise ReadError(f"{name}: damaged or unsupported .xlsx workbook ({type(exc).__name__})") from None
    return reader.wb


def open_xlsx(name: str, path: Path, sheet: str | None) -> InputFile:
    sha256 = _file_sha256(path)
    workbook = _load(name, path)
    if sheet is not None:
        if sheet not in workbook.sheetnames:
            workbook.close()
            raise ReadError(f"{name}: no sheet named {sheet!r} (sheets: {', '.join(workbook.sheetnames)})")
        worksheet = workbook[sheet]
    else:
        worksheet = workbook.worksheets[0]
    # The dimension a sheet declares is not trusted (rows would be padded to it).
    worksheet.reset_dimensions()
    rows = _xlsx_rows(name, worksheet)
    try:
        header_number, header = next(rows, (None, None))
    except ReadError:
        workbook.close()
        raise
    if header is None:
        workbook.close()
        raise ReadError(f"{name}: the sheet is empty (no header row)")
    if header_number != 1:
        workbook.close()
        raise ReadError(f"{name}: row 1: the header row is empty")
    headers = [("" if cell is None else str(cell)).strip() for cell in header]
    while headers and headers[-1] == "":
        headers.pop()
    return InputFile(
        name,
        headers,
        rows,
        total_bytes=None,
        excel_dates=True,
        _sha256=sha256,
        _closers=[workbook.close],
        short_rows_ok=True,
    )


def _xlsx_rows(name: str, worksheet) -> Iterator[tuple[int, list[Any]]]:
    number = 0
    rows = worksheet.iter_rows(values_only=True)
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except WorkbookTooLarge as exc:
            raise ReadError(f"{name}: workbook refused: {exc}") from None
        except Exception as exc:  # a damaged sheet fails while it is read, in many ways
            raise ReadError(f"{name}:{number}: damaged .xlsx sheet ({type(exc).__name__})") from None
        cells = list(row)
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        check_cell_sizes(name, number, cells)
        yield number, cells
