"""Progress bars on stderr, only where they help."""

from __future__ import annotations

import sys
from typing import Any

from mhtool.cli.app import state


def progress_enabled() -> bool:
    return not state().quiet and sys.stderr.isatty()


class Progress:
    """A rich progress bar on stderr, or nothing when it would only be noise."""

    def __init__(self, description: str):
        self.description = description
        self._progress: Any = None  # a rich Progress, imported only when shown
        self._task: Any = None

    def __enter__(self) -> Progress:
        if progress_enabled():
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._progress = RichProgress(
                "[progress.description]{task.description}",
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.__enter__()
        return self

    def start(self, description: str, total: int | None) -> None:
        if self._progress is not None:
            from mhtool.io.safety import markup_free

            self._task = self._progress.add_task(markup_free(description), total=total)

    def update(self, completed: int) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=completed)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
