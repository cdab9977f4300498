"""Named pause points, so that crash and concurrency tests are deterministic.

A test starts mhtool with ``MHTOOL_PAUSE_AT=NAME[,NAME...]`` and
``MHTOOL_PAUSE_DIR=DIR``. The first time the process reaches pause point
NAME it writes ``DIR/NAME.reached`` (holding its process id) and waits until
``DIR/NAME.go`` exists. In between, the test kills it, or starts another
command against the same database, knowing exactly where the first one is.

Without ``MHTOOL_PAUSE_AT`` a pause point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_passed: set[str] = set()


def pause_point(name: str) -> None:
    wanted = os.environ.get("MHTOOL_PAUSE_AT")
    if not wanted or name in _passed or name not in wanted.split(","):
        return
    _passed.add(name)
    folder = Path(os.environ.get("MHTOOL_PAUSE_DIR") or ".")
    go = folder / f"{name}.go"
    reached = folder / f"{name}.reached"
    partial = reached.with_suffix(".partial")
    partial.write_text(str(os.getpid()))
    partial.replace(reached)  # the test never reads a half-written file
    while not go.exists():
        time.sleep(0.005)
