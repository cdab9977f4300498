"""Parsing rows in worker processes: chunks, the pool, and what crosses between processes."""

from __future__ import annotations

import collections
import gc
import itertools
import os
import sys
from typing import Iterator

from mhtool.imports.model import ImportOptions, Normalised, RowReader
from mhtool.pausepoints import pause_point

CHUNK_ROWS = 2000


def in_chunks(rows) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        yield chunk




def worker_count(options: ImportOptions) -> int:
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


def _normalise_in_worker(chunk: list[tuple[int, list]]) -> tuple:
    if os.getppid() != _PARENT:
        os._exit(1)   # orphaned: nobody will read the result
    return _pack(_WORKER_READER.normalise_chunk(chunk))


def normalise_here(reader: RowReader, chunk: list[tuple[int, list]]) -> tuple:
    return _pack(reader.normalise_chunk(chunk))


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


def unpack(packed: tuple) -> list:
    from mhtool.parse.phones import Phone

    keys, rows = packed
    phone = Phone._make
    # Empty tuples, not new lists: in this process the results are only read.
    return [
        (number, cells, Normalised(dict(zip(keys, values)), tuple(map(phone, phones)) if phones else (),
                                   errors or (), warnings or (), extra))
        for number, cells, values, phones, errors, warnings, extra in rows
    ]


def parallel(reader: RowReader, chunks: Iterator[list], workers: int) -> Iterator[tuple]:
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

