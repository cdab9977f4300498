"""CSV/TXT input (`,` `;` or tab, detected), streamed, so memory does not
grow with the file."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from mhtool.io.encodings import AUTO_ENCODING, MixedEncoding, detect_encoding
from mhtool.io.inputfile import InputFile, ReadError, TrackingStream
from mhtool.io.limits import MAX_CELL_CHARS, MAX_CELLS_PER_ROW, MAX_ROW_CHARS, count

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")

csv.field_size_limit(MAX_CELL_CHARS)


def looks_binary(sample: bytes) -> bool:
    """NUL bytes where no UTF-16 text can be: not a CSV file."""
    return b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def not_text(name: str) -> str:
    return f"{name}: not a text file (binary content); expected CSV, XLSX or JSON"


def _detect_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line into the most columns."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def open_csv(name, raw: BinaryIO, total, encoding, delimiter, closers) -> InputFile:
    try:
        sample = raw.read(SAMPLE_BYTES)
    except OSError as exc:
        raise ReadError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if not sample.strip():
        raise ReadError(f"{name}: the file is empty (no header row)")
    if sample.startswith(b"PK\x03\x04"):
        raise ReadError(f"{name}: looks like an Excel/zip file; give it the .xlsx extension")
    if looks_binary(sample):
        raise ReadError(not_text(name))
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
    tracker = TrackingStream(sample, raw)
    text = io.TextIOWrapper(io.BufferedReader(tracker), encoding=chosen, newline="")
    if delimiter is None:
        sample_lines = (
            sample.decode("utf-8" if chosen == AUTO_ENCODING else chosen, errors="replace")
            .lstrip("\ufeff")
            .splitlines()
        )
        if not sample_lines or not sample_lines[0].strip():
            raise ReadError(f"{name}: the file is empty (no header row)")
        delimiter = _detect_delimiter(sample_lines[0])
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
