"""Run an import: every file in one transaction, all or nothing."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator

from mhtool.imports.fileimport import FileImport, TooManyBadRows
from mhtool.imports.gcpause import cycle_collector_paused
from mhtool.imports.inputs import open_import_input
from mhtool.imports.model import FileResult, ImportOptions, ImportOutcome, RowReader
from mhtool.imports.workers import CHUNK_ROWS, in_chunks, normalise_here, parallel, worker_count
from mhtool.io.readers import InputFile, ReadError
from mhtool.pausepoints import pause_point
from mhtool.store.db import transaction


def counted(chunks: Iterator[list], run: FileImport) -> Iterator[list]:
    for chunk in chunks:
        run.rows_given += len(chunk)
        yield chunk


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
    workers = worker_count()
    chunks = counted(in_chunks(itertools.chain(first, rows)), run)
    parsed_chunks: Iterator[list]
    if len(first) < CHUNK_ROWS or workers < 2:
        parsed_chunks = (normalise_here(reader, chunk) for chunk in chunks)
    else:
        parsed_chunks = parallel(reader, chunks, workers)
    try:
        for parsed in parsed_chunks:
            run.accept(parsed)
            if on_progress:
                on_progress(input_file)
    except TooManyBadRows:
        run.result.rejected -= 1  # the row over the limit is not reported
        run.result.stopped = True
        return run.result
    finally:
        close = getattr(parsed_chunks, "close", None)
        if close:
            close()  # the worker pool, with its chunks in flight
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
            input_file = inputs.enter_context(open_import_input(path, options, stdin, inputs))
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
