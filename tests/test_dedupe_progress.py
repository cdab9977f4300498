"""Progress for every phase of a long import or dedupe: labelled, on
stderr, shown on a terminal (a real pseudo-terminal here), silent when
stderr is not a terminal or with --quiet."""

from __future__ import annotations

import os
import pty
import subprocess
import threading
from pathlib import Path

import pytest
from processes import BOUND, environment, mhtool_command
from test_dedupe_owed import write_pairs

# A full dedupe, and the first import into an empty database, stream blocks
# (signals/dedupe/stream.py): finding and comparing pairs is one phase.
IMPORT_PHASES = [
    "reading pairs.csv",
    "storing 80 new signals",
    "linking: reading identifiers",
    "linking: finding and comparing candidate pairs, block by block",
    "grouping into situations",
    "grouping: writing",
]
DEDUPE_PHASES = IMPORT_PHASES[2:]
# The dedupe of a small import into a larger database reads the blocks its signals touch.
INCREMENTAL_PHASES = [
    "linking: reading identifiers",
    "linking: finding candidate pairs",
    "linking: comparing candidate pairs",
    "grouping into situations",
    "grouping: writing",
]


def on_terminal(db: Path, *args) -> tuple[int, str, str]:
    """Run mhtool with stderr on a pseudo-terminal; (exit code, stdout, what the terminal showed)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        mhtool_command(db, *args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=terminal,
        text=True,
        env=environment(TERM="xterm", COLUMNS="160", LINES="40"),
    )
    os.close(terminal)
    shown = bytearray()

    def drain() -> None:
        while True:
            try:
                data = os.read(controller, 65536)
            except OSError:  # the process closed the terminal
                return
            if not data:
                return
            shown.extend(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out, _ = process.communicate(timeout=BOUND)
    reader.join(BOUND)
    os.close(controller)
    return process.returncode, out, shown.decode("utf-8", "replace")


@pytest.fixture
def pairs(tmp_path) -> Path:
    return write_pairs(tmp_path / "pairs.csv")


def test_an_import_shows_each_phase_on_a_terminal(tmp_path, pairs):
    code, out, shown = on_terminal(tmp_path / "mh.db", "signals", "import", "--source", "mma", pairs)
    assert code == 0, shown
    for label in IMPORT_PHASES:
        assert label in shown, (label, shown)
    assert "dedupe: 80 new signals" in out
    assert "Traceback" not in shown


def test_a_small_import_into_a_larger_database_shows_its_phases(tmp_path, pairs):
    db = tmp_path / "mh.db"
    assert on_terminal(db, "signals", "import", "--source", "mma", pairs)[0] == 0
    code, out, shown = on_terminal(
        db, "signals", "import", "--source", "mma", write_pairs(tmp_path / "more.csv", 5, 80)
    )
    assert code == 0, shown
    for label in INCREMENTAL_PHASES:
        assert label in shown, (label, shown)
    assert "block by block" not in shown


def test_signals_dedupe_shows_its_phases(tmp_path, pairs):
    db = tmp_path / "mh.db"
    assert on_terminal(db, "signals", "import", "--source", "mma", "--no-dedupe", pairs)[0] == 0
    code, out, shown = on_terminal(db, "signals", "dedupe")
    assert code == 0, shown
    for label in DEDUPE_PHASES:
        assert label in shown, (label, shown)
    assert "(80 -> 33 situations)" in out


def test_quiet_on_a_terminal_shows_nothing(tmp_path, pairs):
    code, out, shown = on_terminal(tmp_path / "mh.db", "--quiet", "signals", "import", "--source", "mma", pairs)
    assert code == 0, shown
    assert shown == ""
    assert "dedupe: 80 new signals" in out


def test_not_a_terminal_shows_no_progress(tmp_path, pairs):
    result = subprocess.run(
        mhtool_command(tmp_path / "mh.db", "signals", "import", "--source", "mma", pairs),
        capture_output=True,
        text=True,
        env=environment(),
        timeout=BOUND,
    )
    assert result.returncode == 0, result.stderr
    for label in IMPORT_PHASES:
        assert label not in result.stderr
