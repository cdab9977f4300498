"""mhtool as real processes, for crash and concurrency tests.

A process may be told to stop at a named pause point (mhtool/pausepoints.py):
`start(..., pause_at="import-locked")`, then `wait_reached()` blocks until it
is there, and `release()` lets it go on. Nothing here waits for a fixed time:
every wait is for a condition, with a generous bound so that a broken
build fails instead of hanging.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

BOUND = 120  # seconds any condition may take on a slow machine before the test fails


def mhtool_command(db: Path, *args) -> list[str]:
    return [sys.executable, "-m", "mhtool", "--db", str(db), *map(str, args)]


def environment(**extra) -> dict[str, str]:
    env = {**os.environ, "MHTOOL_DB": ""}
    env.pop("MHTOOL_PAUSE_AT", None)
    env.update(extra)
    return env


class Mhtool:
    """One running `mhtool` command."""

    def __init__(
        self,
        db: Path,
        *args,
        pause_at: str | None = None,
        pause_dir: Path | None = None,
        stdin=None,
        new_session: bool = True,
    ):
        self.pause_dir = pause_dir or db.parent
        self.pause_at = pause_at
        extra = {"MHTOOL_PAUSE_AT": pause_at, "MHTOOL_PAUSE_DIR": str(self.pause_dir)} if pause_at else {}
        self.process = subprocess.Popen(
            mhtool_command(db, *args),
            stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(**extra),
            start_new_session=new_session,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_reached(self, name: str | None = None) -> None:
        name = name or self.pause_at
        reached = self.pause_dir / f"{name}.reached"
        deadline = time.monotonic() + BOUND
        while not reached.exists():
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise AssertionError(f"mhtool ended before pause point {name!r}: {err}")
            assert time.monotonic() < deadline, f"pause point {name!r} not reached"
            time.sleep(0.01)

    def release(self, name: str | None = None) -> None:
        (self.pause_dir / f"{name or self.pause_at}.go").touch()

    def finish(self, timeout: float = BOUND) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=timeout)
        assert "Traceback" not in err and "Internal error" not in err, err
        return self.process.returncode, out, err

    def kill(self, whole_group: bool = True) -> None:
        if whole_group:
            os.killpg(self.pid, signal.SIGKILL)
        else:
            os.kill(self.pid, signal.SIGKILL)
        self.process.communicate(timeout=BOUND)


def run(db: Path, *args, **kwargs) -> tuple[int, str, str]:
    return Mhtool(db, *args, **kwargs).finish()


def scalar(db: Path, sql: str, params=()):
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.01)
