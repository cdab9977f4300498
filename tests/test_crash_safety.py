"""Crash safety: a command killed with SIGKILL halfway leaves a database that
passes `mhtool db check` and holds either none or all of its work.

The command runs as a real process (`python -m mhtool ...`) in its own
process group, so that its worker processes die with it, as in a power cut.
It is killed at a named pause point (mhtool/pausepoints.py): holding the
write lock with its rows written, or in the middle of its work, so the test
knows where it was, however fast the machine is.
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from processes import Mhtool
from signalfiles import write_pairs

ROWS = 60_000
MEDIUM_ROWS = 8_000
MMA_HEADER = ["Meldingnummer", "Datum melding", "Categorie", "Plaats", "Omschrijving", "Telefoonnummer"]
AD_HEADER = ["Site", "Advertentie ID", "Datum", "Tekst", "Naam", "Leeftijd", "Telefoon", "Plaats"]
PLACES = ["Hilversum", "Bussum", "Huizen", "Naarden", "Laren", "Weesp"]


def mhtool(db: Path, *args) -> list[str]:
    return [sys.executable, "-m", "mhtool", "--db", str(db), *map(str, args)]


def run_cli(db: Path, *args, timeout=120) -> subprocess.CompletedProcess:
    result = subprocess.run(
        mhtool(db, *args), capture_output=True, text=True, timeout=timeout, env={**os.environ, "MHTOOL_DB": ""}
    )
    assert "Traceback" not in result.stderr and "Internal error" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def big_files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("big")
    signals, ads = root / "big_signals.csv", root / "big_ads.csv"
    with open(signals, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MMA_HEADER)
        for i in range(ROWS):
            writer.writerow(
                [
                    f"BIG-{i}",
                    f"{1 + i % 28:02d}-{1 + i % 12:02d}-2025",
                    "Seksuele uitbuiting",
                    PLACES[i % len(PLACES)],
                    f"Melding {i}: woning met veel wisselend bezoek",
                    f"06-{10_000_000 + i}",
                ]
            )
    with open(ads, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(AD_HEADER)
        for i in range(ROWS):
            writer.writerow(
                [
                    "big.example",
                    f"AD-{i}",
                    f"{1 + i % 28:02d}-{1 + i % 12:02d}-2025",
                    f"Nieuw in de stad ({i}), 24/7 beschikbaar",
                    "Anna",
                    "25",
                    f"06-{20_000_000 + i}",
                    PLACES[i % len(PLACES)],
                ]
            )
    medium = root / "medium_signals.csv"
    with open(signals, encoding="utf-8") as source, open(medium, "w", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number > MEDIUM_ROWS:
                break
            target.write(line)
    return {"signals": signals, "ads": ads, "medium": medium}


@pytest.fixture
def seeded_db(tmp_path) -> Path:
    """A database with a few signals and ads, written by a finished process."""
    db = tmp_path / "crash.db"
    seed = tmp_path / "seed.csv"
    with open(seed, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MMA_HEADER)
        writer.writerow(["SEED-1", "01-07-2026", "Arbeidsuitbuiting", "Huizen", "Zaadje", "06-98765432"])
        writer.writerow(["SEED-2", "02-07-2026", "", "Weesp", "Nog een zaadje", ""])
    assert run_cli(db, "signals", "import", "--source", "mma", seed).returncode == 0
    seed_ads = tmp_path / "seed_ads.csv"
    with open(seed_ads, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(AD_HEADER)
        writer.writerow(["seed.example", "S-1", "16-11-2026", "Zaadje", "Mila", "22", "06-87654321", "Huizen"])
    assert run_cli(db, "ads", "import", seed_ads).returncode == 0
    return db


def kill_at(db: Path, args, pause: str) -> Mhtool:
    """Start `mhtool ARGS`, SIGKILL its process group at pause point `pause`."""
    process = Mhtool(db, *args, pause_at=pause)
    process.wait_reached()
    process.kill()
    assert process.process.returncode == -signal.SIGKILL
    return process


def assert_sound(db: Path) -> None:
    """`mhtool db check` passes (from a fresh process, after the crash)."""
    result = run_cli(db, "db", "check")
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stderr + result.stdout
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # a large import drops these inside its transaction and builds them before the commit
        indexes = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"signals_stats", "situations_stats", "signal_phones_e164"} <= indexes
    finally:
        conn.close()


def scalar(db: Path, sql: str, params=()):
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


# --- signals import ---------------------------------------------------------------------------


@pytest.mark.parametrize("pause", ["import-workers-running", "import-before-commit"], ids=["parsing", "committing"])
def test_killed_signals_import_leaves_none_or_all(big_files, seeded_db, pause):
    db = seeded_db
    kill_at(db, ["signals", "import", "--source", "mma", big_files["signals"]], pause)
    assert os.path.exists(str(db) + "-wal"), "the kill should leave an unfinished write-ahead log"
    assert_sound(db)
    imported = scalar(db, "SELECT count(*) FROM signals WHERE ref LIKE 'BIG-%'")
    assert imported in (0, ROWS)
    phones = scalar(
        db, "SELECT count(*) FROM signal_phones p JOIN signals s ON s.id = p.signal_id WHERE s.ref LIKE 'BIG-%'"
    )
    assert phones == imported
    # what was there before is untouched
    assert (
        scalar(db, "SELECT group_concat(ref, ',') FROM (SELECT ref FROM signals WHERE ref LIKE 'SEED-%' ORDER BY ref)")
        == "SEED-1,SEED-2"
    )
    # no half-finished import in the bookkeeping
    assert scalar(db, "SELECT count(*) FROM imports WHERE finished_at IS NULL") == 0
    if imported == 0:
        assert scalar(db, "SELECT count(*) FROM imports WHERE file_name = 'big_signals.csv'") == 0


def test_import_after_a_crash_completes(big_files, seeded_db):
    db = seeded_db
    kill_at(db, ["signals", "import", "--source", "mma", big_files["medium"]], "import-before-commit")
    assert scalar(db, "SELECT count(*) FROM signals WHERE ref LIKE 'BIG-%'") == 0
    # the dedupe after an import is not what this test is about
    result = run_cli(db, "signals", "import", "--source", "mma", "--no-dedupe", big_files["medium"])
    assert result.returncode == 0, result.stderr
    assert scalar(db, "SELECT count(*) FROM signals WHERE ref LIKE 'BIG-%'") == MEDIUM_ROWS
    assert_sound(db)


# --- ads import -------------------------------------------------------------------------------


def test_killed_ads_import_leaves_none_or_all(big_files, seeded_db):
    db = seeded_db
    kill_at(db, ["ads", "import", big_files["ads"]], "import-before-commit")
    assert_sound(db)
    ads = scalar(db, "SELECT count(*) FROM ads WHERE site = 'big.example'")
    observations = scalar(
        db, "SELECT count(*) FROM ad_observations o JOIN ads a ON a.id = o.ad WHERE a.site = 'big.example'"
    )
    assert ads in (0, ROWS)
    assert observations == ads
    assert scalar(db, "SELECT count(*) FROM ads WHERE site = 'seed.example'") == 1
    assert scalar(db, "SELECT count(*) FROM ads WHERE latest_observation_id IS NULL") == 0


# --- signals dedupe ---------------------------------------------------------------------------


def _dedupe_state(db: Path) -> tuple:
    conn = sqlite3.connect(str(db))
    try:
        situation_of = conn.execute("SELECT id, situation_id FROM signals ORDER BY id").fetchall()
        matches = conn.execute("SELECT a, b, round(score, 6) FROM signal_matches ORDER BY a, b").fetchall()
        situations = conn.execute("SELECT id, signal_count FROM situations ORDER BY id").fetchall()
        return situation_of, matches, situations
    finally:
        conn.close()


def test_killed_dedupe_leaves_none_or_all(tmp_path):
    # Pairs of reports about one situation: same phone in another format, a
    # misspelt name, the same address, other wording.
    pairs = 1500
    path = write_pairs(tmp_path / "dupes.csv", pairs)
    db = tmp_path / "dedupe.db"
    result = run_cli(db, "signals", "import", "--source", "mma", "--no-dedupe", path)
    assert result.returncode == 0, result.stderr
    before = _dedupe_state(db)
    assert all(signal_id == situation for signal_id, situation in before[0]), "import already deduplicated"

    # Killed holding the write lock, its changes made but not committed.
    kill_at(db, ["signals", "dedupe"], "dedupe-before-commit")
    assert_sound(db)
    killed = _dedupe_state(db)

    result = run_cli(db, "signals", "dedupe")
    assert result.returncode == 0, result.stderr
    finished = _dedupe_state(db)
    assert finished != before, "dedupe changed nothing: the test data has no duplicates for it"
    assert len(finished[1]) >= pairs // 2
    assert killed in (before, finished)
