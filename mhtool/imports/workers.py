"""Parsing rows in worker processes: chunks, the pool, and what crosses between processes."""

from __future__ import annotations

import collections
import gc
import itertools
import os
import sys
from collections.abc import Iterator

from mhtool.imports.model import RowReader
from mhtool.pausepoints import pause_point

CHUNK_ROWS = 2000


def in_chunks(rows) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        yield chunk


def worker_count(variable: str = "MHTOOL_IMPORT_WORKERS", most: int = 4) -> int:
    """Processes to work in: one per core, at most `most`; the environment
    `variable` sets another number (1: everything in this process)."""
    configured = os.environ.get(variable, "").strip()
    if configured.isdigit() and int(configured) >= 1:
        return int(configured)
    return min(os.cpu_count() or 1, most)


_WORKER_READER: RowReader | None = None


_PARENT: int | None = None


def _init_worker(reader: RowReader, parent: int) -> None:
    global _WORKER_READER, _PARENT
    _WORKER_READER, _PARENT = reader, parent
    die_with_parent(parent)
    gc.disable()  # see cycle_collector_paused; the worker lives as long as the import


def die_with_parent(parent: int) -> None:
    """A worker must not outlive an import killed with SIGKILL: it would hold
    hundreds of MB and the database files for minutes. Linux kills it at
    once (PR_SET_PDEATHSIG); elsewhere the next chunk's check does."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


def _normalise_in_worker(chunk: list[tuple[int, list]]) -> list:
    if os.getppid() != _PARENT:
        os._exit(1)  # orphaned: nobody will read the result
    assert _WORKER_READER is not None, "set by _init_worker"
    return _WORKER_READER.normalise_chunk(chunk)


def normalise_here(reader: RowReader, chunk: list[tuple[int, list]]) -> list:
    return reader.normalise_chunk(chunk)


def parallel(reader: RowReader, chunks: Iterator[list], workers: int) -> Iterator[list]:
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
