"""No output is ever the database (issue 10, item 3).

`-o`, `--rejects`, the report's `-o`, an export and a backup destination
that is the database, or one of its -wal/-shm/-journal files, however the
path is spelled, is a usage error (exit 2) and nothing in the folder changes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

SIGNALS = [
    ["P-1", "01-07-2026", "Arbeidsuitbuiting", "Huizen", "Slapen op de werkplek", "06-12345678"],
    ["P-2", "02-07-2026", "", "Hilversum", "Loverboy", ""],
]
BAD_ROWS = [["P-3", "gisteren", "", "Huizen", "Melding", ""]]


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file below `folder`: its size and content hash (symlinks by their target)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(folder))] = (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
        elif path.is_symlink():
            found[str(path.relative_to(folder))] = (-1, os.readlink(path))
    return found


@pytest.fixture
def home(tmp_path, monkeypatch, run_raw, files):
    """A folder holding mh.db (two signals) and the files the commands read;
    the working directory for the test."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    result = run_raw("--db", "mh.db", "signals", "import", "--source", "mma", files.mma("in.csv", SIGNALS))
    assert result.exit_code == 0, result.stderr
    files.mma("bad.csv", BAD_ROWS)
    files.csv("ads.csv", [["Site", "Advertentie ID", "Datum", "Tekst"], ["s.example", "A-1", "gisteren", "x"]])
    os.symlink("mh.db", tmp_path / "link.csv")
    os.symlink(tmp_path / "mh.db-wal", tmp_path / "wal-link.csv")
    os.link(tmp_path / "mh.db", tmp_path / "hard.csv")
    return tmp_path


SPELLINGS = [
    "mh.db",
    "./mh.db",
    "sub/../mh.db",
    "{home}/mh.db",
    "MH.DB",
    "link.csv",
    "hard.csv",
    "mh.db-wal",
    "./mh.db-shm",
    "mh.db-journal",
    "MH.db-WAL",
    "wal-link.csv",
]

COMMANDS = {
    "signals list -o": ["signals", "list", "-o", "{out}"],
    "signals list xlsx": ["signals", "list", "--format", "xlsx", "-o", "{out}"],
    "signals import --rejects": ["signals", "import", "--source", "mma", "--skip-bad", "--rejects", "{out}", "bad.csv"],
    "ads import --rejects": ["ads", "import", "--skip-bad", "--rejects", "{out}", "ads.csv"],
    "report quarterly -o": ["report", "quarterly", "2026Q3", "-o", "{out}"],
    "export signals -o": ["export", "signals", "-o", "{out}"],
    "stats -o": ["stats", "--by", "gemeente", "-o", "{out}"],
    "db audit -o": ["db", "audit", "-o", "{out}"],
    "db backup": ["db", "backup", "--force", "{out}"],
}


def refused(result, home: Path, before: dict) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "is the database" in result.stderr, result.stderr
    assert snapshot(home) == before


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_an_output_that_is_the_database_is_refused(home, run_raw, name, spelling):
    before = snapshot(home)
    out = spelling.format(home=home)
    args = [a.format(out=out) for a in COMMANDS[name]]
    refused(run_raw("--db", "mh.db", *args), home, before)


@pytest.mark.parametrize("db_option", [["--db", "{home}/mh.db"], ["--db", "./sub/../mh.db"], ["--db", "link.csv"]])
def test_the_database_is_recognised_however_db_is_spelled(home, run_raw, db_option):
    before = snapshot(home)
    option = [a.format(home=home) for a in db_option]
    refused(run_raw(*option, "signals", "list", "-o", "mh.db"), home, before)
    refused(run_raw(*option, "signals", "list", "-o", "MH.DB-wal"), home, before)


def test_the_database_from_the_environment_and_the_default(home, run_raw, monkeypatch):
    before = snapshot(home)
    monkeypatch.setenv("MHTOOL_DB", str(home / "mh.db"))
    refused(run_raw("signals", "list", "-o", "./mh.db"), home, before)
    monkeypatch.delenv("MHTOOL_DB")
    os.rename(home / "mh.db", home / "mhtool.db")
    before = snapshot(home)
    refused(run_raw("export", "signals", "-o", "mhtool.db"), home, before)
    refused(run_raw("db", "backup", "--force", "MHTOOL.db-journal"), home, before)


def test_a_backup_whose_journal_would_be_the_database_is_refused(home, run_raw):
    """SQLite writes DEST-journal next to a backup while it is made."""
    os.rename(home / "mh.db", home / "copy-journal")
    before = snapshot(home)
    refused(run_raw("--db", "copy-journal", "db", "backup", "copy"), home, before)


def test_other_outputs_next_to_the_database_are_written(home, run_raw, read_csv):
    result = run_raw("--db", "mh.db", "signals", "list", "-o", "mh.db.csv")
    assert result.exit_code == 0, result.stderr
    assert [r["ref"] for r in read_csv((home / "mh.db.csv").read_text("utf-8"))] == ["P-1", "P-2"]
    result = run_raw("--db", "mh.db", "db", "backup", "sub/mh.db")
    assert result.exit_code == 0, result.stderr
    assert (home / "sub" / "mh.db").stat().st_mode & 0o777 == 0o600


def test_a_command_closes_the_database_when_it_ends(tmp_path, run_raw, files):
    # Left to the garbage collector, the close (and its WAL checkpoint) came
    # at a random later moment, in the middle of whatever ran next.
    db = tmp_path / "closed.db"
    result = run_raw("--db", db, "signals", "import", "--source", "mma", files.mma("in.csv", SIGNALS))
    assert result.exit_code == 0, result.stderr
    assert db.exists() and not Path(f"{db}-wal").exists()
    result = run_raw("--db", db, "signals", "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert not Path(f"{db}-wal").exists()
