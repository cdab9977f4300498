"""Read any supported input file as a header plus numbered rows.

Supported: CSV/TXT (`,` `;` or tab, detected), XLSX (first sheet or a named
one), JSON (a list of objects) and `-` for CSV on stdin. Encodings UTF-8 (with
or without BOM) and Windows-1252 are detected. CSV and stdin are streamed, so
memory does not grow with the file.

Row numbers are what a spreadsheet shows: the header is row 1. For JSON the
number is the position of the object in the list, starting at 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from mhtool.io.csvinput import open_csv
from mhtool.io.inputfile import InputFile, ReadError, check_cell_sizes
from mhtool.io.jsoninput import open_json

__all__ = ["InputFile", "ReadError", "check_cell_sizes", "open_input"]


def open_input(
    path: str,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    delimiter: str | None = None,
    stdin: BinaryIO | None = None,
) -> InputFile:
    """Open `path` (or `-` for stdin) and read its header row. `stdin`: the
    stream to read instead of stdin, or instead of a named pipe at `path`."""
    if path == "-" or stdin is not None:
        stream = stdin if stdin is not None else sys.stdin.buffer
        return open_csv("<stdin>" if path == "-" else path, stream, None, encoding, delimiter, [])
    file_path = Path(path)
    try:
        if file_path.is_dir():
            raise ReadError(f"{path}: is a folder, not a file")
        suffix = file_path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            from mhtool.io.xlsx import open_xlsx

            return open_xlsx(path, file_path, sheet)
        if suffix == ".json":
            return open_json(path, file_path, encoding)
        if suffix == ".xls":
            raise ReadError(f"{path}: old Excel .xls is not supported; save it as .xlsx or CSV")
        handle = open(file_path, "rb")  # noqa: SIM115 (kept open by the reader it returns)
    except FileNotFoundError:
        raise ReadError(f"{path}: file not found") from None
    except PermissionError:
        raise ReadError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise ReadError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from None
    total = file_path.stat().st_size
    return open_csv(path, handle, total, encoding, delimiter, [handle.close])
