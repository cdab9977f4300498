"""An opened input file: its name, header and numbered rows, and the checks
every reader applies to them."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from mhtool.errors import MhtoolError
from mhtool.io.limits import MAX_CELL_CHARS, MAX_ROW_CHARS, count


class ReadError(MhtoolError):
    """The file as a whole cannot be read (not one row of it)."""


class TrackingStream(io.RawIOBase):
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
            chunk: bytes | memoryview = self._prefix[:n]
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
    _tracker: TrackingStream | None = None
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
