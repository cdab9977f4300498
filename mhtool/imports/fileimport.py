"""The import of one opened file: accepting, rejecting and writing its rows."""

from __future__ import annotations

import json
import os

from mhtool.imports.model import KEPT_WARNINGS, FileResult, ImportOptions, Issue, Normalised, Rejected, RowProblem
from mhtool.imports.workers import unpack
from mhtool.io.readers import InputFile
from mhtool.stamps import now_iso, os_user


class FileImport:
    """The import of one opened file, inside the caller's transaction.

    Subclasses set `self.reader` and implement `flush()`, which writes
    `self.pending` (rows that passed validation) in one batch."""

    kind = "?"
    BATCH = 500

    def __init__(self, db, input_file: InputFile, source: str, options: ImportOptions):
        self.db = db
        self.input_file = input_file
        self.options = options
        self.result = FileResult(input_file.name)
        self.pending: list[tuple] = []   # rows accepted, not yet written: (number, cells, ...) as the area keeps them
        self.rows_given = 0   # rows read from the file and handed to parsing (ahead of result.read)
        self.skip_warning_columns: set[str] = set()
        cursor = db.conn.execute(
            "INSERT INTO imports (kind, source, file_name, started_at, os_user) VALUES (?, ?, ?, ?, ?)",
            (self.kind, source, os.path.basename(input_file.name), now_iso(), os_user()),
        )
        self.import_id = cursor.lastrowid

    def warn_file(self, column: str, reason: str) -> None:
        self._warn(1, column, reason)

    def _warn(self, number: int, column: str, reason: str) -> None:
        result = self.result
        result.warning_count += 1
        # Only a few are shown; keeping a million would cost more memory than the import.
        if len(result.warnings) < KEPT_WARNINGS:
            result.warnings.append(RowProblem(self.input_file.name, number, column, reason))

    def accept(self, number: int, cells: list | None, normalised: Normalised) -> None:
        self.result.read += 1
        for issue in normalised.warnings:
            if issue.column not in self.skip_warning_columns:
                self._warn(number, issue.column, issue.reason)
        if normalised.errors:
            self.reject(number, cells, normalised.errors)
            return
        self.pending.append((number, cells, normalised))
        if len(self.pending) >= self.BATCH:
            self.flush()

    def accept_packed(self, packed: tuple) -> None:
        """A chunk of rows as `_pack` made it; an area may read the tuples
        directly instead of rebuilding a `Normalised` for every row."""
        for number, cells, normalised in unpack(packed):
            self.accept(number, cells, normalised)

    def flush(self) -> None:
        raise NotImplementedError

    def reject(self, number: int, cells: list | None, errors: list[Issue], raw: str | None = None) -> None:
        """Count and report a bad row; `raw` (the record as JSON) stands in for
        the cells of a row that was valid until it met the database."""
        name = self.input_file.name
        self.result.rejected += 1
        for issue in errors:
            self.result.errors.append(RowProblem(name, number, issue.column, issue.reason))
        if self.options.skip_bad:
            headers = self.input_file.headers
            if cells is None:
                by_header = json.loads(raw or "{}")
            else:
                by_header = {
                    (headers[i] if i < len(headers) and headers[i] else f"column {i + 1}"): cell
                    for i, cell in enumerate(cells)
                }
            problem = RowProblem(name, number, errors[0].column, "; ".join(e.reason for e in errors))
            self.result.rejects.append(Rejected(problem, by_header))

    def finish(self) -> FileResult:
        self.flush()
        r = self.result
        self.db.conn.execute(
            "UPDATE imports SET file_sha256 = ?, rows_read = ?, rows_new = ?, rows_present = ?, "
            "rows_changed = ?, rows_rejected = ?, finished_at = ? WHERE id = ?",
            (self.input_file.sha256, r.read, r.new, r.present, r.changed, r.rejected, now_iso(), self.import_id),
        )
        return r

