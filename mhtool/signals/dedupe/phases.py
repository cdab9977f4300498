"""Progress of a long import or dedupe, phase by phase, on stderr.

`phase("linking", total)` starts a labelled bar (ending the one before) and
`advance(n)` moves it; both cost next to nothing when no bar is shown: when
stderr is not a terminal, with --quiet, or outside a command (tests,
benchmarks calling the functions). One bar at a time, kept in the command's
click context and closed with it.

The phases of an import: reading FILE (its bytes; rows are stored as they
are read), storing (the indexes and the commit), linking (reading the
identifiers, comparing candidate pairs), grouping (situations, written).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from mhtool.io.safety import markup_free

QUIET_META = "mhtool.quiet"
_META = "mhtool.phases"
_OFF = object()
_MUTED: ContextVar[bool] = ContextVar("mhtool_phases_muted", default=False)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """No phase starts or moves inside: work done many times over (the chunks
    of a streamed dedupe, stream.py) shows as one phase of its caller."""
    token = _MUTED.set(True)
    try:
        yield
    finally:
        _MUTED.reset(token)


class _Bar:
    """One rich display; each phase is a task in it, the finished ones hidden."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.progress.start()
        self.task: Any = None
        self.unit = ""

    def start(self, label: str, total: int | None, unit: str) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        self.unit = unit
        # A label may hold a file name: shown as text, never as markup or control sequences.
        self.task = self.progress.add_task(markup_free(label), total=total, count=self._count(0, total))
        self.progress.refresh()  # drawn at least once, however short the phase

    def move(self, completed: int | None = None, by: int = 0) -> None:
        task = self.progress.tasks[-1]
        done = task.completed + by if completed is None else completed
        self.progress.update(self.task, completed=done, count=self._count(done, task.total))

    def _count(self, done: float, total: float | None) -> str:
        if self.unit == "bytes":
            return f"{done / 1e6:.1f}/{total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
        return f"{int(done):,}/{int(total):,} {self.unit}" if total is not None else f"{int(done):,} {self.unit}"

    def close(self) -> None:
        self.progress.stop()


def _bar(create: bool) -> _Bar | None:
    import click

    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    root = ctx.find_root()
    bar = root.meta.get(_META)
    if bar is None and create:
        import sys

        # The root command says whether it is quiet (cli/root.py); a bar only on a terminal.
        bar = _Bar() if not root.meta.get(QUIET_META) and sys.stderr.isatty() else _OFF
        root.meta[_META] = bar
        if isinstance(bar, _Bar):
            root.call_on_close(bar.close)
    return bar if isinstance(bar, _Bar) else None


def phase(label: str, total: int | None = None, unit: str = "signals") -> None:
    """Start the phase `label` (with `total` units of work, if known)."""
    if _MUTED.get():
        return
    bar = _bar(create=True)
    if bar is not None:
        bar.start(label, total, unit)


def advance(by: int = 1, *, completed: int | None = None) -> None:
    """Move the current phase on by `by` (or to `completed`)."""
    if _MUTED.get():
        return
    bar = _bar(create=False)
    if bar is not None and bar.task is not None:
        bar.move(completed, by)


def close() -> None:
    """End the display now (before a summary is printed)."""
    import click

    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        bar = ctx.find_root().meta.pop(_META, None)
        if isinstance(bar, _Bar):
            bar.close()


def import_with_phases(import_function, *args, **kwargs):
    """Run a signal import with its phases shown: reading each file (by its
    bytes), then storing, linking and grouping (see the module docstring)."""
    try:
        return import_function(
            *args,
            on_file=lambda f: phase(f"reading {os.path.basename(f.name)}", f.total_bytes or None, "bytes"),
            on_progress=lambda f: advance(completed=f.bytes_read),
            **kwargs,
        )
    finally:
        close()
