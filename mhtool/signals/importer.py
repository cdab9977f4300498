"""`mhtool signals import`: files in, one transaction, a clear account out.

All or nothing by default: every row is validated and written inside one
transaction; if any row is bad the transaction is rolled back and every bad
row is reported. With `skip_bad` the good rows are kept and the bad ones are
returned (and may be written to a rejects file). `dry_run` always rolls back.
"""

from __future__ import annotations

import collections
import datetime
import getpass
import itertools
import json
import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from ..db import transaction
from ..io.headers import HeaderMap, match_headers
from ..io.readers import InputFile, open_input
from ..parse.categories import Classifier, load_classifier
from ..region import Region, load_region
from .fields import SourceSpec
from .normalise import Issue, normalise_signal

SIGNAL_COLUMNS = (
    "source", "ref", "reported_on", "category", "type", "type_origin", "place",
    "gemeente", "cbs_code", "address", "text", "persons", "vehicle", "url",
    "victim_gender", "victim_age", "victim_nationality", "reporter", "raw",
    "content_hash", "import_id", "created_at",
)
_INSERT_SIGNAL = (
    f"INSERT INTO signals (id, {', '.join(SIGNAL_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in SIGNAL_COLUMNS)})"
)
_INSERT_PHONE = "INSERT INTO signal_phones (signal_id, position, raw, e164, valid) VALUES (?, ?, ?, ?, ?)"
CHUNK_ROWS = 2000


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
    rejected: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    rejects: list[Rejected] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)


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

    @property
    def failed(self) -> bool:
        return any(f.errors for f in self.files) and not self.committed

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers; not worth failing for
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def now_iso() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")


class SignalWriter:
    """Writes normalised signals, telling new, already present and conflicting apart.

    Rows are written in batches: one look-up of the batch's references, then
    one executemany. Ids are assigned here, which is safe because imports hold
    the write lock (BEGIN IMMEDIATE) for their whole transaction."""

    BATCH = 500

    def __init__(self, db, source: str):
        self.conn: sqlite3.Connection = db.conn
        self.source = source
        self._next_id = self.conn.execute("SELECT coalesce(max(id), 0) FROM signals").fetchone()[0] + 1

    def existing(self, ref: str) -> tuple[int, str] | None:
        return self.conn.execute(
            "SELECT id, content_hash FROM signals WHERE source = ? AND ref = ?", (self.source, ref)
        ).fetchone()

    def existing_many(self, refs: list[str]) -> dict[str, tuple[int, str]]:
        marks = ", ".join("?" for _ in refs)
        rows = self.conn.execute(
            f"SELECT ref, id, content_hash FROM signals WHERE source = ? AND ref IN ({marks})",
            [self.source, *refs],
        )
        return {ref: (signal_id, digest) for ref, signal_id, digest in rows}

    def insert(self, record: dict[str, Any], phones, import_id: int | None) -> int:
        return self.insert_many([(record, phones)], import_id)[0]

    def insert_many(self, items: list[tuple[dict[str, Any], list]], import_id: int | None) -> list[int]:
        created = now_iso()
        ids, signal_rows, phone_rows = [], [], []
        for record, phones in items:
            signal_id = self._next_id
            self._next_id += 1
            ids.append(signal_id)
            values = {**record, "source": self.source, "import_id": import_id, "created_at": created}
            signal_rows.append([signal_id, *(values.get(c) for c in SIGNAL_COLUMNS)])
            phone_rows.extend((signal_id, i, p.raw, p.e164, int(p.valid)) for i, p in enumerate(phones))
        self.conn.executemany(_INSERT_SIGNAL, signal_rows)
        if phone_rows:
            self.conn.executemany(_INSERT_PHONE, phone_rows)
        return ids


def _start_import(conn, source: str, file_name: str) -> int:
    cursor = conn.execute(
        "INSERT INTO imports (kind, source, file_name, started_at, os_user) VALUES ('signals', ?, ?, ?, ?)",
        (source, os.path.basename(file_name), now_iso(), os_user()),
    )
    return cursor.lastrowid


def _finish_import(conn, import_id: int, result: FileResult, sha256: str | None) -> None:
    conn.execute(
        "UPDATE imports SET file_sha256 = ?, rows_read = ?, rows_new = ?, rows_present = ?, "
        "rows_rejected = ?, finished_at = ? WHERE id = ?",
        (sha256, result.read, result.new, result.present, result.rejected, now_iso(), import_id),
    )


@dataclass
class _RowReader:
    """Everything needed to normalise a row; small enough to send to a worker."""

    header_map: HeaderMap
    columns: dict[str, str]
    fixed: dict[str, str]
    region: Region
    classifier: Classifier
    date_order: str
    today: datetime.date | None

    def normalise(self, cells: list):
        values, extra = self.header_map.record(cells)
        values.update(self.fixed)
        return normalise_signal(
            values,
            extra,
            columns=self.columns,
            region=self.region,
            classifier=self.classifier,
            date_order=self.date_order,
            today=self.today,
        )

    def normalise_chunk(self, chunk: list[tuple[int, list]]) -> list:
        """(row number, cells, normalised); the cells only for bad rows, which
        are the only ones that may need them (rejects file), so that less
        crosses between processes."""
        out = []
        for number, cells in chunk:
            normalised = self.normalise(cells)
            out.append((number, cells if normalised.errors else None, normalised))
        return out


class _FileImport:
    """The import of one opened file, inside the caller's transaction."""

    def __init__(self, db, input_file: InputFile, spec: SourceSpec, region, classifier, options):
        self.input_file = input_file
        self.options = options
        self.result = FileResult(input_file.name)
        header_map = match_headers(input_file.name, input_file.headers, spec.fields, options.user_map)
        columns = {name: input_file.headers[i] for name, i in header_map.fields.items()}
        self.reader = _RowReader(
            header_map, columns, spec.fixed, region, classifier, spec.date_order, options.today
        )
        self.has_place_column = bool({"place", "gemeente"} & (set(header_map.fields) | set(spec.fixed)))
        if not self.has_place_column:
            self.result.warnings.append(
                RowProblem(input_file.name, 1, "Plaats/Gemeente",
                           "no place or municipality column; all rows count under 'onbekend'")
            )
        self.writer = SignalWriter(db, spec.source)
        self.import_id = _start_import(db.conn, spec.source, input_file.name)
        self.pending: list[tuple[int, list, Any]] = []

    @property
    def columns(self) -> dict[str, str]:
        return self.reader.columns

    def accept(self, number: int, cells: list, normalised) -> None:
        self.result.read += 1
        for issue in normalised.warnings:
            if not self.has_place_column and issue.column == "place":
                continue  # said once for the whole file
            self.result.warnings.append(RowProblem(self.input_file.name, number, issue.column, issue.reason))
        if normalised.errors:
            self.reject(number, cells, normalised.errors)
            return
        self.pending.append((number, cells, normalised))
        if len(self.pending) >= SignalWriter.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        known = self.writer.existing_many([n.record["ref"] for _, _, n in batch])
        to_insert = []
        for number, cells, normalised in batch:
            ref = normalised.record["ref"]
            digest = normalised.record["content_hash"]
            found = known.get(ref)
            if found is None:
                known[ref] = (None, digest)  # a repeat later in this batch is "present"
                to_insert.append(normalised)
            elif found[1] == digest:
                self.result.present += 1
            else:
                where = f"signal {found[0]}" if found[0] else "earlier in this file"
                self.reject(number, cells, [Issue(
                    self.columns.get("ref", "ref"),
                    f"reference already imported ({where}) with different content; not overwritten",
                )], normalised.record["raw"])
        if to_insert:
            ids = self.writer.insert_many([(n.record, n.phones) for n in to_insert], self.import_id)
            self.result.new_ids.extend(ids)
            self.result.new += len(ids)

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
        _finish_import(self.writer.conn, self.import_id, self.result, self.input_file.sha256)
        return self.result


def import_file(
    db,
    input_file: InputFile,
    spec: SourceSpec,
    *,
    region: Region,
    classifier: Classifier,
    options: ImportOptions,
    on_progress: Callable[[InputFile], None] | None = None,
) -> FileResult:
    """Import one opened file inside the caller's transaction."""
    run = _FileImport(db, input_file, spec, region, classifier, options)
    rows = iter(input_file)
    first = list(itertools.islice(rows, CHUNK_ROWS))
    workers = _worker_count(options)
    if len(first) < CHUNK_ROWS or workers < 2:
        chunks = _chunks(itertools.chain(first, rows))
        normalised_chunks = (run.reader.normalise_chunk(chunk) for chunk in chunks)
        _consume(run, normalised_chunks, input_file, on_progress)
    else:
        _consume(run, _parallel(run.reader, itertools.chain(first, rows), workers), input_file, on_progress)
    result = run.finish()
    if on_progress:
        on_progress(input_file)
    return result


def _consume(run: _FileImport, normalised_chunks, input_file, on_progress) -> None:
    for chunk in normalised_chunks:
        for number, cells, normalised in chunk:
            run.accept(number, cells, normalised)
        if on_progress:
            on_progress(input_file)


def _chunks(rows) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        yield chunk


def _worker_count(options: ImportOptions) -> int:
    if options.workers is not None:
        return options.workers
    return min(os.cpu_count() or 1, 4)


_WORKER_READER: _RowReader | None = None


def _init_worker(reader: _RowReader) -> None:
    global _WORKER_READER
    _WORKER_READER = reader


def _normalise_in_worker(chunk: list[tuple[int, list]]) -> list:
    return _WORKER_READER.normalise_chunk(chunk)


def _parallel(reader: _RowReader, rows, workers: int) -> Iterator[list]:
    """Normalise chunks in worker processes, in order, with bounded look-ahead.

    Parsing phone numbers and dates is CPU-bound pure Python; the database
    writes stay in this process, inside its transaction. At most two chunks per
    worker are in flight, so memory does not grow with the file."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(reader,)) as pool:
        in_flight: collections.deque = collections.deque()
        for chunk in _chunks(rows):
            in_flight.append(pool.submit(_normalise_in_worker, chunk))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()


class _Rollback(Exception):
    pass


def import_signals(
    db,
    paths: list[str],
    spec: SourceSpec,
    options: ImportOptions,
    *,
    on_progress: Callable[[InputFile], None] | None = None,
    on_file: Callable[[InputFile], None] | None = None,
    stdin=None,
) -> ImportOutcome:
    """Import every file in one transaction; see the module docstring."""
    region = load_region(db)
    classifier = load_classifier(options.keywords)
    results: list[FileResult] = []
    committed = False
    try:
        with transaction(db):
            for path in paths:
                with open_input(
                    path,
                    encoding=options.encoding,
                    sheet=options.sheet,
                    delimiter=options.delimiter,
                    stdin=stdin,
                ) as input_file:
                    if on_file:
                        on_file(input_file)
                    results.append(
                        import_file(
                            db,
                            input_file,
                            spec,
                            region=region,
                            classifier=classifier,
                            options=options,
                            on_progress=on_progress,
                        )
                    )
            has_errors = any(r.errors for r in results)
            if options.dry_run or (has_errors and not options.skip_bad):
                raise _Rollback()
            committed = True
    except _Rollback:
        pass
    return ImportOutcome(results, committed)
