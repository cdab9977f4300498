"""Read any supported input file as a header plus numbered rows.

Supported: CSV/TXT (`,` `;` or tab, detected), XLSX (first sheet or a named
one), JSON (a list of objects) and `-` for CSV on stdin. Encodings UTF-8 (with
or without BOM) and Windows-1252 are detected. CSV and stdin are streamed, so
memory does not grow with the file.

Row numbers are what a spreadsheet shows: the header is row 1. For JSON the
number is the position of the object in the list, starting at 1.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from mhtool.errors import MhtoolError
from mhtool.io.limits import MAX_CELL_CHARS, MAX_CELLS_PER_ROW, MAX_JSON_BYTES, MAX_ROW_CHARS, count

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")
TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ""}

csv.field_size_limit(MAX_CELL_CHARS)


class ReadError(MhtoolError):
    """The file as a whole cannot be read (not one row of it)."""


class _TrackingStream(io.RawIOBase):
    """A binary stream that replays an already-read prefix, then the rest,
    while counting bytes and hashing them (for progress and the import's
    file checksum)."""

    def __init__(self, prefix: bytes, rest: BinaryIO):
        self._prefix = memoryview(prefix)
        self._rest = rest
        self.bytes_read = 0
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix.nbytes:
            n = min(len(buffer), self._prefix.nbytes)
            chunk = self._prefix[:n]
            self._prefix = self._prefix[n:]
        else:
            chunk = self._rest.read(len(buffer))
            n = len(chunk)
        buffer[:n] = chunk
        self.bytes_read += n
        self.sha256.update(chunk)
        return n


@dataclass
class InputFile:
    """An opened input: its display name, header and rows."""

    name: str
    headers: list[str]
    _rows: Iterator[tuple[int, list[Any]]]
    total_bytes: int | None = None
    _tracker: _TrackingStream | None = None
    _sha256: str | None = None
    _closers: list = field(default_factory=list)
    excel_dates: bool = False  # numbers in date columns are Excel dates (xlsx only)
    # A row may end before the header does: cells have positions (xlsx), so
    # missing ones are empty; in CSV a missing delimiter shifts every cell.
    short_rows_ok: bool = False

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        return self._rows

    @property
    def bytes_read(self) -> int:
        return self._tracker.bytes_read if self._tracker else 0

    @property
    def sha256(self) -> str | None:
        """Checksum of the whole file (complete once all rows are read)."""
        if self._tracker is not None:
            return self._tracker.sha256.hexdigest()
        return self._sha256

    def close(self) -> None:
        for close in self._closers:
            close()

    def __enter__(self) -> InputFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


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
        return _open_csv("<stdin>" if path == "-" else path, stream, None, encoding, delimiter, [])
    file_path = Path(path)
    try:
        if file_path.is_dir():
            raise ReadError(f"{path}: is a folder, not a file")
        suffix = file_path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            from mhtool.io.xlsx import open_xlsx

            return open_xlsx(path, file_path, sheet)
        if suffix == ".json":
            return _open_json(path, file_path, encoding)
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
    return _open_csv(path, handle, total, encoding, delimiter, [handle.close])


# --- CSV ----------------------------------------------------------------------


AUTO_ENCODING = "mhtool-utf8-or-cp1252"


class _Utf8OrCp1252Decoder(codecs.IncrementalDecoder):
    """UTF-8 until the first byte that cannot be UTF-8; if everything before
    it was plain ASCII the file is Windows-1252 and decoding goes on as such.
    After real UTF-8 text, a non-UTF-8 byte means mixed encodings: an error.

    This decides on the whole file while streaming it, not on a sample."""

    def __init__(self, errors: str = "strict"):
        super().__init__(errors)
        self.reset()

    def reset(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(self.errors)
        self._cp1252 = None
        self._seen_non_ascii = False

    def decode(self, data: bytes, final: bool = False) -> str:
        if self._cp1252 is not None:
            return self._cp1252.decode(data, final)
        pending = self._utf8.getstate()[0]
        try:
            text = self._utf8.decode(data, final)
        except UnicodeDecodeError as exc:
            chunk = pending + bytes(data)
            if self._seen_non_ascii or not chunk[: max(exc.start, 0)].isascii():
                raise
            self._cp1252 = codecs.getincrementaldecoder("cp1252")(self.errors)
            return self._cp1252.decode(chunk, final)
        if not self._seen_non_ascii and not text.isascii():
            self._seen_non_ascii = True
        return text


def _auto_codec(name: str):
    if name != AUTO_ENCODING.replace("-", "_") and name != AUTO_ENCODING:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(
        name=AUTO_ENCODING,
        encode=utf8.encode,
        decode=utf8.decode,
        incrementaldecoder=_Utf8OrCp1252Decoder,
        incrementalencoder=utf8.incrementalencoder,
        streamreader=utf8.streamreader,
        streamwriter=utf8.streamwriter,
    )


codecs.register(_auto_codec)


def detect_encoding(sample: bytes, complete: bool) -> str:
    """BOMs decide; otherwise a sample that is not UTF-8 is Windows-1252, and
    one that is may still turn out to be Windows-1252 further on."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError as exc:
        # Real UTF-8 characters next to a byte that cannot be UTF-8: both
        # encodings in one file, which no choice would read right.
        if not sample[: exc.start].isascii() or _UTF8_SEQUENCE.search(sample):
            line = sample[: exc.start].count(b"\n") + 1
            raise MixedEncoding(line) from None
        return "cp1252"
    return AUTO_ENCODING


class MixedEncoding(Exception):
    def __init__(self, line: int):
        self.line = line


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _detect_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line into the most columns."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def _open_csv(name, raw: BinaryIO, total, encoding, delimiter, closers) -> InputFile:
    try:
        sample = raw.read(SAMPLE_BYTES)
    except OSError as exc:
        raise ReadError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if not sample.strip():
        raise ReadError(f"{name}: the file is empty (no header row)")
    if sample.startswith(b"PK\x03\x04"):
        raise ReadError(f"{name}: looks like an Excel/zip file; give it the .xlsx extension")
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError(f"{name}: not a text file (binary content); expected CSV, XLSX or JSON")
    complete = len(sample) < SAMPLE_BYTES
    try:
        chosen = encoding or detect_encoding(sample, complete)
    except MixedEncoding as exc:
        raise ReadError(
            f"{name}:{exc.line}: both UTF-8 and Windows-1252 characters in one file (mixed encodings); "
            "convert the file or pass --encoding"
        ) from None
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise ReadError(f"unknown encoding: {chosen}") from None
    tracker = _TrackingStream(sample, raw)
    text = io.TextIOWrapper(io.BufferedReader(tracker), encoding=chosen, newline="")
    if delimiter is None:
        lines = (
            sample.decode("utf-8" if chosen == AUTO_ENCODING else chosen, errors="replace")
            .lstrip("\ufeff")
            .splitlines()
        )
        if not lines or not lines[0].strip():
            raise ReadError(f"{name}: the file is empty (no header row)")
        delimiter = _detect_delimiter(lines[0])
    lines = _BoundedLines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    rows = _csv_rows(name, reader, lines)
    try:
        header_number, header = next(rows)
    except StopIteration:
        raise ReadError(f"{name}: the file is empty (no header row)") from None
    if header_number != 1:
        raise ReadError(f"{name}: row 1: the header row is empty")
    headers = [cell.strip().lstrip("\ufeff").strip() for cell in header]
    closers.insert(0, text.detach)
    return InputFile(name, headers, rows, total_bytes=total, _tracker=tracker, _closers=closers)


class _RowTooLong(Exception):
    pass


class _BoundedLines:
    """The lines the csv module reads, at most MAX_ROW_CHARS for one record
    (which may span lines inside quotes): a 500 MB line is refused once its
    first few MB are read, instead of being read whole and split."""

    def __init__(self, text: io.TextIOBase):
        self._readline = text.readline
        self.used = 0  # characters of the record being read

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self._readline(MAX_ROW_CHARS + 1)
        if not line:
            raise StopIteration
        self.used += len(line)
        if self.used > MAX_ROW_CHARS:
            raise _RowTooLong()
        return line


def _csv_rows(name: str, reader, lines: _BoundedLines) -> Iterator[tuple[int, list[str]]]:
    number = 0
    while True:
        number += 1
        lines.used = 0
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise ReadError(
                f"{name}:{number}: bytes that are not valid in the detected encoding, at this "
                "row or shortly after it (mixed encodings?); convert the file or pass --encoding"
            ) from None
        except csv.Error as exc:
            raise ReadError(f"{name}:{number}: {_csv_reason(exc)}") from None
        except _RowTooLong:
            raise ReadError(f"{name}:{number}: the row is larger than {count(MAX_ROW_CHARS)} characters") from None
        if len(row) > MAX_CELLS_PER_ROW:
            raise ReadError(f"{name}:{number}: the row has more than {count(MAX_CELLS_PER_ROW)} cells")
        if not any(row) or not "".join(row).strip():  # an empty or blank line
            continue
        yield number, row


def _csv_reason(exc: csv.Error) -> str:
    message = str(exc)
    if "field larger than field limit" in message:
        return f"a cell is larger than {count(MAX_CELL_CHARS)} characters"
    if "unexpected end of data" in message or "EOF" in message:
        return 'a quoted cell is never closed (unbalanced ")'
    return f"malformed CSV ({message})"


# --- JSON ---------------------------------------------------------------------


class _NotANumber(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotANumber(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise _NotANumber("a number too large to hold")
    return value


def _read_json_bytes(name: str, path: Path) -> bytes:
    """At most MAX_JSON_BYTES (a JSON file is parsed whole, and its objects
    take several times its size); /dev/zero or a huge file fails at once."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise ReadError(
            f"{name}: JSON larger than {MAX_JSON_BYTES // 2**20} MB; export it as CSV, which is read as it streams"
        )
    return data


def _open_json(name: str, path: Path, encoding: str | None) -> InputFile:
    data = _read_json_bytes(name, path)
    try:
        text = data.decode(encoding or detect_encoding(data, True).replace(AUTO_ENCODING, "utf-8"))
        items = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f":{exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise ReadError(f"{name}{where}: not valid JSON") from None
    except RecursionError:
        raise ReadError(f"{name}: not valid JSON (nested too deeply)") from None
    except MixedEncoding as exc:
        raise ReadError(f"{name}:{exc.line}: both UTF-8 and Windows-1252 characters (mixed encodings)") from None
    except _NotANumber as exc:
        raise ReadError(f"{name}: not valid JSON ({exc})") from None
    except ValueError:  # an integer of thousands of digits
        raise ReadError(f"{name}: not valid JSON (a number too long to read)") from None
    if not isinstance(items, list):
        raise ReadError(f"{name}: JSON must be a list of objects, not a {type(items).__name__}")
    headers: list[str] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ReadError(f"{name}:{number}: JSON item is not an object")
        for key in item:
            if key not in seen:
                seen.add(key)
                headers.append(key)
    if len(headers) > MAX_CELLS_PER_ROW:
        raise ReadError(f"{name}: the objects have more than {count(MAX_CELLS_PER_ROW)} different keys")

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, item in enumerate(items, start=1):
            values = [_json_cell(item.get(key)) for key in headers]
            if all(value in (None, "") for value in values):
                continue
            check_cell_sizes(name, number, values)
            yield number, values

    return InputFile(name, headers, rows(), _sha256=hashlib.sha256(data).hexdigest())


def check_cell_sizes(name: str, number: int, cells: list) -> None:
    """For readers that build cells before we can see them (xlsx: bounded by
    its guard; JSON: by the file size): a cell, and the row as a whole."""
    total = 0
    for cell in cells:
        if isinstance(cell, str):
            size = len(cell)
            if size > MAX_CELL_CHARS:
                raise ReadError(f"{name}:{number}: a cell is larger than {count(MAX_CELL_CHARS)} characters")
            total += size
    if total > MAX_ROW_CHARS:
        raise ReadError(f"{name}:{number}: the row is larger than {count(MAX_ROW_CHARS)} characters")


def _json_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value
