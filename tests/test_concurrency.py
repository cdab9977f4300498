"""Concurrency: commands run at the same time as real processes. Two imports
both finish with every row; reading commands (and `ads score`) run while an
import holds the write lock (held there at a pause point, see
tests/processes.py), and no "database is locked" reaches the user."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from processes import Mhtool

MMA_HEADER = ["Meldingnummer", "Datum melding", "Categorie", "Plaats", "Omschrijving", "Telefoonnummer"]
AD_HEADER = ["Site", "Advertentie ID", "Datum", "Tekst", "Naam", "Leeftijd", "Telefoon", "Plaats"]
PLACES = ["Hilversum", "Bussum", "Huizen", "Naarden", "Laren", "Weesp"]
LOCKED_WORDS = ("locked", "busy", "Traceback", "Internal error")


def mhtool(db: Path, *args) -> list[str]:
    return [sys.executable, "-m", "mhtool", "--db", str(db), *map(str, args)]


ENV = {**os.environ, "MHTOOL_DB": ""}


def start(db: Path, *args) -> subprocess.Popen:
    return subprocess.Popen(mhtool(db, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def finish(process: subprocess.Popen, timeout=120) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    for word in LOCKED_WORDS:
        assert word not in err, err
    return process.returncode, out, err


def write_signals(path: Path, prefix: str, rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MMA_HEADER)
        for i in range(rows):
            writer.writerow(
                [
                    f"{prefix}-{i}",
                    f"{1 + i % 28:02d}-{1 + i % 9:02d}-2026",
                    "Arbeidsuitbuiting",
                    PLACES[i % len(PLACES)],
                    f"{prefix} melding {i}: slapen op de werkplek",
                    f"06-{(sum(map(ord, prefix)) % 50 + 10) * 1_000_000 + i}",
                ]
            )
    return path


def write_ads(path: Path, site: str, rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(AD_HEADER)
        for i in range(rows):
            writer.writerow(
                [
                    site,
                    f"A-{i}",
                    f"{16 + i % 7}-11-2026",
                    f"Nieuw in de stad ({i}), 24/7 en zonder condoom",
                    "Anna",
                    str(18 + i % 20),
                    f"06-{40_000_000 + i}",
                    PLACES[i % len(PLACES)],
                ]
            )
    return path


def scalar(db: Path, sql: str):
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def seeded_db(tmp_path) -> Path:
    db = tmp_path / "shared.db"
    code, _, err = finish(
        start(db, "signals", "import", "--source", "mma", write_signals(tmp_path / "seed.csv", "SEED", 20))
    )
    assert code == 0, err
    code, _, err = finish(start(db, "ads", "import", write_ads(tmp_path / "seed_ads.csv", "seed.example", 20)))
    assert code == 0, err
    return db


# --- two writers ------------------------------------------------------------------------------


def test_two_signal_imports_at_once(seeded_db, tmp_path):
    first = write_signals(tmp_path / "one.csv", "ONE", 4000)
    second = write_signals(tmp_path / "two.csv", "TWO", 4000)
    processes = [
        start(seeded_db, "signals", "import", "--source", "mma", first),
        start(seeded_db, "signals", "import", "--source", "mma", second),
    ]
    results = [finish(p) for p in processes]
    assert [code for code, _, _ in results] == [0, 0], results
    assert scalar(seeded_db, "SELECT count(*) FROM signals WHERE ref LIKE 'ONE-%'") == 4000
    assert scalar(seeded_db, "SELECT count(*) FROM signals WHERE ref LIKE 'TWO-%'") == 4000
    assert scalar(seeded_db, "SELECT count(*) FROM signals WHERE ref LIKE 'SEED-%'") == 20
    assert scalar(seeded_db, "SELECT count(DISTINCT id) FROM signals") == 8_020
    assert scalar(seeded_db, "SELECT count(*) FROM imports WHERE finished_at IS NOT NULL") == 4


def test_signal_and_ad_imports_at_once(seeded_db, tmp_path):
    signals = write_signals(tmp_path / "s.csv", "SIM", 5000)
    ads = write_ads(tmp_path / "a.csv", "sim.example", 5000)
    processes = [
        start(seeded_db, "ads", "import", ads),
        start(seeded_db, "signals", "import", "--source", "mma", signals),
    ]
    results = [finish(p) for p in processes]
    assert [code for code, _, _ in results] == [0, 0], results
    assert scalar(seeded_db, "SELECT count(*) FROM signals WHERE ref LIKE 'SIM-%'") == 5000
    assert scalar(seeded_db, "SELECT count(*) FROM ads WHERE site = 'sim.example'") == 5000
    assert scalar(seeded_db, "PRAGMA integrity_check") == "ok"


def test_two_imports_at_once_into_a_database_created_before(tmp_path):
    """Both start on an existing, still empty database (schema made by `db info`)."""
    db = tmp_path / "new.db"
    code, _, err = finish(start(db, "db", "info"))
    assert code == 0, err
    first = write_signals(tmp_path / "one.csv", "N1", 300)
    second = write_signals(tmp_path / "two.csv", "N2", 300)
    processes = [start(db, "signals", "import", "--source", "mma", p) for p in (first, second)]
    results = [finish(p) for p in processes]
    assert [code for code, _, _ in results] == [0, 0], results
    assert scalar(db, "SELECT count(*) FROM signals") == 600


def test_database_created_by_another_process_at_the_same_moment(run_raw, tmp_path, monkeypatch):
    """Deterministic version of the race two first runs have: the other
    process creates the file right after this one saw it missing."""
    db = tmp_path / "race.db"
    real_open = os.open

    def racing_open(path, flags, mode=0o777, *args, **kwargs):
        if Path(path) == db and flags & os.O_EXCL and not db.exists():
            os.close(real_open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # the other process won
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", racing_open)
    result = run_raw("--db", db, "db", "info")
    assert result.exit_code == 0, result.stderr


# --- readers while a writer works -------------------------------------------------------------


def test_reading_commands_while_an_import_writes(seeded_db, tmp_path):
    rows = 12_000
    big = write_signals(tmp_path / "big.csv", "LONG", rows)
    before = scalar(seeded_db, "SELECT count(*) FROM signals")
    importer = Mhtool(seeded_db, "signals", "import", "--source", "mma", big, pause_at="import-before-commit")
    importer.wait_reached()  # it holds the write lock, every row written, not committed

    commands = {
        "signals list": ["signals", "list", "--format", "csv"],
        "ads score --no-store": ["ads", "score", "--all", "--no-store", "--format", "csv"],
        "ads list": ["ads", "list", "--format", "csv"],
        "db info": ["db", "info", "--format", "csv"],
    }
    commands["stats"] = ["stats", "--by", "gemeente", "--format", "csv"]
    readers = {name: start(seeded_db, *args) for name, args in commands.items()}
    outcomes = {name: finish(process) for name, process in readers.items()}
    importer.release()
    code, _, err = importer.finish()
    assert code == 0, err

    for name, (code, _out, err) in outcomes.items():
        assert code == 0, (name, err)
    listed = outcomes["signals list"][1].strip().splitlines()[1:]
    # a reader sees the database as it was before the import, never half of it
    assert len(listed) == before, len(listed)
    scored = outcomes["ads score --no-store"][1].strip().splitlines()[1:]
    assert len(scored) == 20
    assert scalar(seeded_db, "SELECT count(*) FROM ad_scores") == 0  # --no-store
    assert scalar(seeded_db, "SELECT count(*) FROM signals WHERE ref LIKE 'LONG-%'") == rows


def test_scoring_and_backup_while_an_import_writes(seeded_db, tmp_path):
    """`ads score` (which stores) queues behind the import instead of failing;
    a backup taken meanwhile is sound and holds none or all of the import."""
    rows = 12_000
    big = write_signals(tmp_path / "big.csv", "LONG", rows)
    importer = Mhtool(seeded_db, "signals", "import", "--source", "mma", big, pause_at="import-before-commit")
    importer.wait_reached()
    backup = tmp_path / "during.db"
    backer = start(seeded_db, "db", "backup", backup)
    backed_up = finish(backer)
    scorer = Mhtool(seeded_db, "ads", "score", "--all", "--format", "csv", pause_at="write-lock-wanted")
    scorer.wait_reached()  # it queues for the lock the import holds
    scorer.release()
    importer.release()
    results = {"score": scorer.finish(), "backup": backed_up, "import": importer.finish()}
    for name, (code, _, err) in results.items():
        assert code == 0, (name, err)
    assert scalar(seeded_db, "SELECT count(*) FROM ad_scores") == 20
    assert scalar(backup, "PRAGMA integrity_check") == "ok"
    assert scalar(backup, "SELECT count(*) FROM signals WHERE ref LIKE 'LONG-%'") == 0  # taken before the commit
