"""What every import shares: one transaction, row problems, bookkeeping.

All or nothing by default: every row is validated and written inside one
transaction; if any row is bad the transaction is rolled back and every bad
row is reported. With `skip_bad` the good rows are kept and the bad ones are
returned (and may be written to a rejects file). `dry_run` always rolls back.

An area (signals, ads) supplies a `RowReader` (pure: cells in, a `Normalised`
record out, so it can run in worker processes) and a `FileImport` subclass
that writes accepted records. Parsed rows reach the `FileImport` in packed
chunks (`accept_packed`); by default unpacked and passed to `accept` row by
row, while the signal import reads the tuples as they come.
"""

from __future__ import annotations

import array
import collections
import contextlib
import datetime
import gc
import getpass
import itertools
import json
import os
import stat
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .db import transaction
from .io.limits import MAX_ROW_ERRORS, MAX_ROW_ERRORS_SKIP_BAD
from .io.readers import InputFile, ReadError, open_input
from .pausepoints import pause_point

CHUNK_ROWS = 2000
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
        if not self.column:   # a problem of the row as a whole
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
    warnings: list[RowProblem] = field(default_factory=list)   # the first KEPT_WARNINGS
    warning_count: int = 0
    rejects: list[Rejected] = field(default_factory=list)
    stopped: bool = False   # reading stopped at the bad-row limit; nothing is kept
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


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers; not worth failing for
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def now_iso() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")


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
        for number, cells, normalised in _unpack(packed):
            self.accept(number, cells, normalised)

    def flush(self) -> None:
        raise NotImplementedError

    def reject(self, number: int, cells: list | None, errors: list[Issue], raw: str | None = None) -> None:
        """Count and report a bad row; `raw` (the record as JSON) stands in for
        the cells of a row that was valid until it met the database."""
        name = self.input_file.name
        self.result.rejected += 1
        if self.result.rejected > self.max_bad_rows:
            raise _TooManyBadRows()
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


class _TooManyBadRows(Exception):
    """A file of millions of bad rows is the wrong file: stop reading it
    rather than keep a million problems in memory."""


class RowReader:
    """Cells in, `Normalised` out. Must be picklable: it may run in workers."""

    def normalise(self, cells: list) -> Normalised:
        raise NotImplementedError

    def normalise_chunk(self, chunk: list[tuple[int, list]]) -> list:
        """(row number, cells, normalised); the cells only for bad rows, the
        only ones that need them (rejects file), so that less crosses between
        processes."""
        out = []
        header_map = getattr(self, "header_map", None)
        for number, cells in chunk:
            normalised = self.normalise(cells)
            problem = header_map.width_problem(cells) if header_map is not None else None
            if problem:
                # Cells matched to the wrong headers: their own errors would only mislead.
                normalised.errors, normalised.warnings = [Issue("", problem)], []
            out.append((number, cells if normalised.errors else None, normalised))
        return out


def _chunks(rows) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        yield chunk


def _counted(chunks: Iterator[list], run: "FileImport") -> Iterator[list]:
    for chunk in chunks:
        run.rows_given += len(chunk)
        yield chunk


def _worker_count(options: ImportOptions) -> int:
    if options.workers is not None:
        return options.workers
    return min(os.cpu_count() or 1, 4)


_WORKER_READER: RowReader | None = None


_PARENT: int | None = None


def _init_worker(reader: RowReader, parent: int) -> None:
    global _WORKER_READER, _PARENT
    _WORKER_READER, _PARENT = reader, parent
    _die_with_parent(parent)
    gc.disable()  # see cycle_collector_paused; the worker lives as long as the import


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive an import killed with SIGKILL: it would hold
    hundreds of MB and the database files for minutes. Linux kills it at
    once (PR_SET_PDEATHSIG); elsewhere the next chunk's check does."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:   # the parent died before that took effect
        os._exit(1)


@contextlib.contextmanager
def cycle_collector_paused():
    """Pause Python's cycle collector. An import or a dedupe run keeps
    millions of small objects alive for a while (rows in flight, profiles,
    pairs) that make no reference cycles: plain reference counting frees
    them, and the collector walked them again and again for nothing (a third
    of an import's time, a quarter of a dedupe run's)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _normalise_in_worker(chunk: list[tuple[int, list]]) -> tuple:
    if os.getppid() != _PARENT:
        os._exit(1)   # orphaned: nobody will read the result
    return _pack(_WORKER_READER.normalise_chunk(chunk))


def _normalise_here(reader: RowReader, chunk: list[tuple[int, list]]) -> tuple:
    return _pack(reader.normalise_chunk(chunk))


# Results cross between processes as plain tuples: unpickling dataclass
# instances cost the main process more than the database writes did.


def _pack(results: list) -> tuple:
    """(keys, rows): every record of one reader has the same keys in the same
    order (normalise_signal and normalise_ad build them so), sent once."""
    keys = tuple(results[0][2].record) if results else ()
    rows = [
        (number, cells, tuple(n.record.values()), [(p.raw, p.e164, p.valid) for p in n.phones],
         n.errors or None, n.warnings or None, n.extra)
        for number, cells, n in results
    ]
    return keys, rows


def _unpack(packed: tuple) -> list:
    from .parse.phones import Phone

    keys, rows = packed
    phone = Phone._make
    # Empty tuples, not new lists: in this process the results are only read.
    return [
        (number, cells, Normalised(dict(zip(keys, values)), tuple(map(phone, phones)) if phones else (),
                                   errors or (), warnings or (), extra))
        for number, cells, values, phones, errors, warnings, extra in rows
    ]


def _parallel(reader: RowReader, chunks: Iterator[list], workers: int) -> Iterator[tuple]:
    """Normalise chunks in worker processes, in order, with bounded look-ahead.

    Parsing phone numbers and dates is CPU-bound pure Python; the database
    writes stay in this process, inside its transaction. At most two chunks per
    worker are in flight, so memory does not grow with the file."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(reader, os.getpid())) as pool:
        in_flight: collections.deque = collections.deque()
        for chunk in chunks:
            in_flight.append(pool.submit(_normalise_in_worker, chunk))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().result()
                pause_point("import-workers-running")
        while in_flight:
            yield in_flight.popleft().result()


def import_file(
    run: FileImport,
    reader: RowReader,
    on_progress: Callable[[InputFile], None] | None = None,
) -> FileResult:
    """Feed every row of `run.input_file` through `reader` into `run`.

    Small files are read in this process; large ones spread the parsing over
    worker processes."""
    input_file = run.input_file
    rows = iter(input_file)
    first = list(itertools.islice(rows, CHUNK_ROWS))
    workers = _worker_count(run.options)
    chunks = _counted(_chunks(itertools.chain(first, rows)), run)
    if len(first) < CHUNK_ROWS or workers < 2:
        packed_chunks = (_normalise_here(reader, chunk) for chunk in chunks)
    else:
        packed_chunks = _parallel(reader, chunks, workers)
    try:
        for packed in packed_chunks:
            run.accept_packed(packed)
            if on_progress:
                on_progress(input_file)
    except _TooManyBadRows:
        run.result.rejected -= 1   # the row over the limit is not reported
        run.result.stopped = True
        return run.result
    finally:
        close = getattr(packed_chunks, "close", None)
        if close:
            close()   # the worker pool, with its chunks in flight
    if run.result.read == 0:
        # Most likely a failed export; an import that adds nothing should say so loudly.
        raise ReadError(f"{input_file.name}: no data rows below the header")
    return run.finish()


class _Rollback(Exception):
    pass


# A file is prepared before the write lock is taken (read, header matched):
# what it needs to be imported, made inside the transaction.
StartFile = Callable[[InputFile], tuple[Callable[[], FileImport], RowReader]]


def run_import(
    db,
    paths: list[str],
    options: ImportOptions,
    start_file: StartFile,
    *,
    on_progress: Callable[[InputFile], None] | None = None,
    on_file: Callable[[InputFile], None] | None = None,
    before_commit: Callable[[], None] | None = None,
    stdin=None,
) -> ImportOutcome:
    """Import every file in one transaction; see the module docstring.

    Every input is opened, its header checked and (if it is a pipe, stdin
    or another stream that may stall) copied to a private temporary file
    before the write lock is taken: a slow or stalled input never keeps
    other commands from writing."""
    results: list[FileResult] = []
    committed = False
    with contextlib.ExitStack() as inputs:
        prepared = []
        for path in paths:
            input_file = inputs.enter_context(_open(path, options, stdin, inputs))
            prepared.append((input_file, *start_file(input_file)))
        pause_point("import-opened")
        try:
            with cycle_collector_paused(), transaction(db):
                pause_point("import-locked")
                for input_file, make_run, reader in prepared:
                    if on_file:
                        on_file(input_file)
                    results.append(import_file(make_run(), reader, on_progress))
                has_errors = any(r.errors for r in results)
                stopped = any(r.stopped for r in results)
                if options.dry_run or stopped or (has_errors and not options.skip_bad):
                    raise _Rollback()
                if before_commit:
                    before_commit()
                pause_point("import-before-commit")
                committed = True
        except _Rollback:
            pass
    return ImportOutcome(results, committed)


def _open(path: str, options: ImportOptions, stdin, inputs: contextlib.ExitStack) -> InputFile:
    stream = None
    if path == "-":
        stream = inputs.enter_context(_spooled(stdin if stdin is not None else sys.stdin.buffer))
    elif _is_stream(path):
        with open(path, "rb") as source:
            stream = inputs.enter_context(_spooled(source))
    return open_input(path, encoding=options.encoding, sheet=options.sheet, delimiter=options.delimiter,
                      stdin=stream)


def _is_stream(path: str) -> bool:
    """A FIFO, a character device (/dev/stdin) or a socket: read as it comes,
    so possibly never to its end."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False   # open_input says what is wrong with it
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _spooled(source) -> Any:
    """The whole of `source`, copied into an anonymous private temporary
    file (gone when closed, or when the process dies on POSIX)."""
    import shutil
    import tempfile

    spool = tempfile.TemporaryFile()
    try:
        shutil.copyfileobj(source, spool, 1 << 20)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool
