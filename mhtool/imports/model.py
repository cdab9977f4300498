"""What an import takes and reports: options, a parsed row, row problems, results."""

from __future__ import annotations

import array
import datetime
from dataclasses import dataclass, field
from typing import Any

KEPT_WARNINGS = 1000  # per file


@dataclass
class Issue:
    column: str  # the header as the file spells it (or the field name)
    reason: str


@dataclass(slots=True)
class Normalised:
    record: dict[str, Any]
    phones: list = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    extra: Any = None


@dataclass
class RowProblem:
    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
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
    warnings: list[RowProblem] = field(default_factory=list)   # the first KEPT_WARNINGS
    warning_count: int = 0
    rejects: list[Rejected] = field(default_factory=list)
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
    today: datetime.date | None = None
    workers: int | None = None  # processes that normalise rows; None = one per core (max 4)


@dataclass
class ImportOutcome:
    files: list[FileResult]
    committed: bool

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

class RowReader:
    """Cells in, `Normalised` out. Must be picklable: it may run in workers."""

    def normalise(self, cells: list) -> Normalised:
        raise NotImplementedError

    def normalise_chunk(self, chunk: list[tuple[int, list]]) -> list:
        """(row number, cells, normalised); the cells only for bad rows, the
        only ones that need them (rejects file), so that less crosses between
        processes."""
        out = []
        for number, cells in chunk:
            normalised = self.normalise(cells)
            out.append((number, cells if normalised.errors else None, normalised))
        return out
