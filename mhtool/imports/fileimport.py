"""The import of one opened file: accepting, rejecting and writing its rows."""

from __future__ import annotations

import json
import os
from typing import Any

from mhtool.imports.model import KEPT_WARNINGS, Crossing, FileResult, ImportOptions, Issue, Rejected, RowProblem
from mhtool.io.limits import MAX_ROW_ERRORS, MAX_ROW_ERRORS_SKIP_BAD
from mhtool.io.readers import InputFile
from mhtool.stamps import now_iso, os_user


class FileImport:
    """The import of one opened file, inside the caller's transaction.

    Every row goes through `accept`; subclasses implement `flush()`, which
    writes `self.pending` (rows that passed validation, as (row number, the
    row's values in the area's column order, phones, extra)) in one batch. Problems name fields; `columns` (field -> the
    file's header) turns them into the file's own words when reported."""

    kind = "?"
    BATCH = 500

    # A field that has no column of its own is reported under this one.
    FALLBACK: dict[str, str] = {}

    def __init__(
        self, db, input_file: InputFile, source: str, options: ImportOptions, columns: dict[str, str] | None = None
    ):
        self.db = db
        self.columns = columns or {}
        self.input_file = input_file
        self.options = options
        self.result = FileResult(input_file.name)
        self.pending: list[tuple[int, tuple, tuple, Any]] = []  # rows accepted, not yet written
        self.rows_given = 0  # rows read from the file and handed to parsing (ahead of result.read)
        self.skip_warning_fields: set[str] = set()
        cursor = db.conn.execute(
            "INSERT INTO imports (kind, source, file_name, started_at, os_user) VALUES (?, ?, ?, ?, ?)",
            (self.kind, source, os.path.basename(input_file.name), now_iso(), os_user()),
        )
        self.import_id = cursor.lastrowid

    def header(self, field: str) -> str:
        """The file's header for a field (the field's name when it has none)."""
        columns = self.columns
        if field in columns:
            return columns[field]
        fallback = self.FALLBACK.get(field)
        return columns.get(fallback, field) if fallback else field

    def warn_file(self, field: str, reason: str) -> None:
        self._warn(1, field, reason)

    def _warn(self, number: int, field: str, reason: str) -> None:
        result = self.result
        result.warning_count += 1
        # Only a few are shown; keeping a million would cost more memory than the import.
        if len(result.warnings) < KEPT_WARNINGS:
            result.warnings.append(RowProblem(self.input_file.name, number, self.header(field), reason))

    def accept(self, rows: list[Crossing]) -> None:
        """The one way in: a chunk of rows as RowReader.normalise_chunk made them."""
        result, skip, pending = self.result, self.skip_warning_fields, self.pending
        for number, cells, row, phones, errors, warnings, extra in rows:
            result.read += 1
            if warnings:
                for issue in warnings:
                    if issue.field not in skip:
                        self._warn(number, issue.field, issue.reason)
            if errors:
                self.reject(number, cells, errors)
                continue
            pending.append((number, row, phones, extra))
            if len(pending) >= self.BATCH:
                self.flush()
                pending = self.pending

    def flush(self) -> None:
        raise NotImplementedError

    def reject(
        self, number: int, cells: list | None, errors: tuple[Issue, ...] | list[Issue], raw: str | None = None
    ) -> None:
        """Count and report a bad row; `raw` (the record as JSON) stands in for
        the cells of a row that was valid until it met the database."""
        name = self.input_file.name
        self.result.rejected += 1
        if self.result.rejected > self.max_bad_rows:
            raise TooManyBadRows()
        for issue in errors:
            self.result.errors.append(RowProblem(name, number, self.header(issue.field), issue.reason))
        if self.options.skip_bad:
            headers = self.input_file.headers
            if cells is None:
                by_header = json.loads(raw or "{}")
            else:
                by_header = {
                    (headers[i] if i < len(headers) and headers[i] else f"column {i + 1}"): cell
                    for i, cell in enumerate(cells)
                }
            problem = RowProblem(name, number, self.header(errors[0].field), "; ".join(e.reason for e in errors))
            self.result.rejects.append(Rejected(problem, by_header))

    @property
    def max_bad_rows(self) -> int:
        return MAX_ROW_ERRORS_SKIP_BAD if self.options.skip_bad else MAX_ROW_ERRORS

    def finish(self) -> FileResult:
        self.flush()
        r = self.result
        self.db.conn.execute(
            "UPDATE imports SET file_sha256 = ?, rows_read = ?, rows_new = ?, rows_present = ?, "
            "rows_changed = ?, rows_rejected = ?, finished_at = ? WHERE id = ?",
            (self.input_file.sha256, r.read, r.new, r.present, r.changed, r.rejected, now_iso(), self.import_id),
        )
        return r


class TooManyBadRows(Exception):
    """A file of millions of bad rows is the wrong file: stop reading it
    rather than keep a million problems in memory."""
