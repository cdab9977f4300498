"""What an import takes and reports: options, a parsed row, row problems, results."""

from __future__ import annotations

import array
from dataclasses import dataclass, field
from typing import Any, NamedTuple

KEPT_WARNINGS = 1000  # per file


class Issue(NamedTuple):
    """A problem with one field of a row; the field is named as mhtool names
    it ('ref', 'phones') and becomes the file's header when it is reported."""

    field: str
    reason: str


@dataclass(slots=True)
class Problems:
    """What parsing one row found, collected while it is parsed."""

    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


class Parsed(NamedTuple):
    """What an area's parser makes of one row.

    `row` is the area's stored row (a NamedTuple in column order, e.g.
    SignalRow); it is None when the row has errors."""

    row: Any
    phones: tuple = ()
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    extra: Any = None


@dataclass
class RowProblem:
    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        if not self.column:  # a problem of the row as a whole
            return f"{self.file}:{self.row}: {self.reason}"
        return f"{self.file}:{self.row}: {self.column}: {self.reason}"


@dataclass
class Rejected:
    problem: RowProblem
    cells: dict[str, Any]


@dataclass
class FileResult:
    file: str
    read: int = 0
    new: int = 0
    present: int = 0
    changed: int = 0
    seen_again: int = 0
    rejected: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)  # the first KEPT_WARNINGS
    warning_count: int = 0
    rejects: list[Rejected] = field(default_factory=list)
    stopped: bool = False  # reading stopped at the bad-row limit; nothing is kept
    # A compact array: a million Python ints would cost 36 MB.
    new_ids: array.array = field(default_factory=lambda: array.array("q"))


@dataclass
class ImportOptions:
    encoding: str | None = None
    sheet: str | None = None
    delimiter: str | None = None
    user_map: dict[str, str] = field(default_factory=dict)
    skip_bad: bool = False
    dry_run: bool = False
    keywords: str | None = None


@dataclass
class ImportOutcome:
    files: list[FileResult]
    committed: bool

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)


class RowReader:
    """Cells in, `Parsed` out. Must be picklable: it may run in workers."""

    def normalise(self, cells: list) -> Parsed:
        raise NotImplementedError

    def normalise_chunk(self, chunk: list[tuple[int, list]]) -> list[tuple]:
        """Each row as a `Crossing` tuple; the cells only for bad rows, the
        only ones that need them (rejects file), so that less crosses between
        processes."""
        out = []
        header_map = getattr(self, "header_map", None)
        for number, cells in chunk:
            row, phones, errors, warnings, extra = self.normalise(cells)
            problem = header_map.width_problem(cells) if header_map is not None else None
            if problem:
                # Cells matched to the wrong headers: their own errors would only mislead.
                row, errors, warnings = None, (Issue("", problem),), ()
            out.append(
                (
                    number,
                    cells if errors else None,
                    None if row is None else tuple(row),
                    tuple(map(tuple, phones)),
                    errors,
                    warnings,
                    extra,
                )
            )
        return out


# A parsed row on its way from the parser (perhaps in a worker process) to
# FileImport.accept: (row number, cells of a bad row or None, the row's values
# in the area's column order or None, phones as (raw, e164, valid), errors,
# warnings, extra). Plain tuples: unpickling class instances (Parsed, the row
# type, Phone) cost the main process four times as much per row, more than
# the database writes.
Crossing = tuple
