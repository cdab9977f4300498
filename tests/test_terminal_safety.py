"""Values from data reach the screen as text (issue 10, items 5 and 6).

Rich markup in an ad name or a signal text (`[/b]`, `[link=...]`) neither
breaks a command nor becomes a hyperlink; terminal control sequences (clear
screen, OSC 8 hyperlinks, OSC 52 clipboard writes, window titles, C1 CSI)
are shown visibly instead of acting. Checked through the real CLI on a real
database: with click's runner, and in a real pseudo-terminal, where rich
draws tables and progress bars and click strips nothing.
"""

from __future__ import annotations

import csv
import fcntl
import io
import os
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner

from mhtool.cli.root import cli

CLEAR = "\x1b[2J"
HYPERLINK = "\x1b]8;;http://evil.example\x1b\\klik\x1b]8;;\x1b\\"
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
TITLE = "\x1b]0;pwned\x07"
C1_CSI = "\x9b2J"
MARKUP = "[/b][link=http://evil.example]klik[/link]"
HOSTILE = f"a {MARKUP} {CLEAR}{HYPERLINK} {C1_CSI} {TITLE} z"
# What must never reach a terminal raw.
ACTING = [CLEAR, "\x1b]8;;http://evil", "\x1b]52", "\x1b]0;", "\x9b", "\x07", "\x1b]8;id="]

MMA = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
    "Nationaliteit",
]
ADS = ["Site", "Advertentie ID", "Datum", "Tekst", "Naam", "Telefoon", "Plaats"]
BAD = Path(__file__).resolve().parent / "data" / "bad"


def _csv(path: Path, rows) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def invoke(db: Path, *args):
    result = CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream and "Internal error" not in stream, stream
    return result


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("terminal")
    db = root / "hostile.db"
    # the corpus files hold HOSTILE, MARKUP, CLEAR, ... as defined above
    assert invoke(db, "signals", "import", "--source", "mma", BAD / "terminal_controls.csv").exit_code == 0
    ads = BAD / "ads_terminal_controls.csv"
    assert invoke(db, "ads", "import", ads).exit_code == 0
    return db


def assert_inert(output: str) -> None:
    for sequence in ACTING:
        assert sequence not in output, (sequence, output)


COMMANDS = {
    "signals list": ["signals", "list", "--format", "table"],
    "signals show": ["signals", "show", "T-1"],
    "ads list": ["ads", "list", "--format", "table"],
    "ads score": ["ads", "score", "--all", "--no-store", "--full", "--format", "table"],  # --full: all of the reasons
    "ads show": ["ads", "show", "site.example:A-1"],
    "stats table": ["stats", "--by", "victim_nationality", "--count", "signals", "--format", "table"],
    "stats chart": ["stats", "--by", "victim_nationality", "--count", "signals", "--chart"],
    "report": ["report", "quarterly", "2026Q3"],
    "signals list csv": ["signals", "list", "--format", "csv"],
    "signals show json": ["signals", "show", "T-1", "--format", "json"],
}
SHOWS_MARKUP = {"signals list", "signals show", "ads list", "ads score", "ads show", "stats table", "stats chart"}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_markup_and_controls_in_data_are_text(hostile, name):
    result = invoke(hostile, *COMMANDS[name])
    assert result.exit_code == 0, result.stderr
    if name != "signals list csv":  # csv that does not go to a terminal is data: kept exactly
        assert_inert(result.stdout + result.stderr)
        assert "\x1b" not in result.stdout
    if name in SHOWS_MARKUP:  # (tables fold long cells: look for the short tag)
        assert "[/b]" in result.stdout
    if name.endswith("show"):
        assert "[link=http://evil.example]klik[/link]" in result.stdout


def test_the_raw_record_keeps_the_exact_value(hostile):
    """Making controls visible is for the screen: the data itself is unchanged."""
    import json

    details = json.loads(invoke(hostile, "signals", "show", "T-1", "--format", "json").stdout)
    assert details["text"] == HOSTILE


# --- in a real terminal ---------------------------------------------------------------------

BOUND = 120


def in_terminal(*args, cwd: Path) -> tuple[int, str]:
    """Run mhtool with stdin, stdout and stderr on a pseudo-terminal; return
    the exit code and everything the terminal received."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    env = {**os.environ, "MHTOOL_DB": "", "TERM": "xterm-256color", "COLUMNS": "200"}
    for name in ("NO_COLOR", "MHTOOL_PAUSE_AT"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "mhtool", *map(str, args)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    received = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the last writer closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(master)
    code = process.wait(timeout=BOUND)
    text = received.decode("utf-8", "replace")
    assert "Traceback" not in text and "Internal error" not in text, text
    return code, text


@pytest.mark.parametrize(
    "name",
    [
        "signals list",
        "signals show",
        "ads list",
        "ads score",
        "ads show",
        "stats chart",
        "report",
        "signals list csv",
        "signals show json",
    ],
)
def test_nothing_from_data_acts_on_a_terminal(hostile, name):
    args = COMMANDS[name]
    if args[-2:] == ["--format", "table"]:
        args = args[:-2]  # the default on a terminal
    code, text = in_terminal("--db", hostile, *args, cwd=hostile.parent)
    assert code == 0, text
    assert_inert(text)
    # ESC is shown as its control picture (JSON escapes it: \u001b)
    assert ("\\u001b" if name.endswith("json") else "\u241b") in text


def test_a_file_name_with_markup_and_controls_in_progress_and_messages(hostile, tmp_path):
    # "x[" is a folder: the argument reads `x[/b]...`, a closing tag to rich
    (tmp_path / "x[").mkdir()
    name = f"x[/b]{CLEAR}{TITLE}[red]rood.csv"
    _csv(tmp_path / name, [MMA, ["F-1", "02-08-2026", "", "Huizen", "Melding", "", "", ""]])
    db = tmp_path / "files.db"
    code, text = in_terminal("--db", db, "signals", "import", "--source", "mma", name, cwd=tmp_path)
    assert code == 0, text
    assert_inert(text)
    assert "x[/b]" in text and "[red]rood" in text and "1 new" in text
    code, text = in_terminal(
        "--db", db, "signals", "import", "--source", "mma", f"nope{CLIPBOARD}[/b].csv", cwd=tmp_path
    )
    assert code == 1 and "nope" in text
    assert_inert(text)


def test_a_database_path_with_controls_in_db_info(tmp_path):
    (tmp_path / "mh[").mkdir()
    db = tmp_path / f"mh[/b]{CLEAR}{TITLE}.db"
    code, text = in_terminal("--db", db, "db", "info", cwd=tmp_path)
    assert code == 0, text
    assert_inert(text)
    assert "[/b]" in text and "\u241b[2J" in text
