"""The CLI root, the database file (location, mode, pragmas, schema), the
`db` commands and the region table."""

from __future__ import annotations

import datetime
import gc
import json
import os
import re
import sqlite3
import stat

import pytest

import mhtool
from mhtool.region.municipalities import OUTSIDE, UNKNOWN, Region, default_region
from mhtool.store.db import open_db


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def some_signals(n: int) -> list[list[str]]:
    return [[f"M-{i:05d}", "01-10-2026", "", "Hilversum", f"Melding nummer {i}: " + "x" * 150, ""] for i in range(n)]


# --- the root command ----------------------------------------------------------


def test_version(run_raw):
    result = run_raw("--version")
    assert result.exit_code == 0
    assert "mhtool" in result.stdout
    assert mhtool.__version__ in result.stdout


# --- where the database lives ---------------------------------------------------


def test_db_option_creates_private_file(run, db_path):
    result = run("db", "info")
    assert result.exit_code == 0, result.stderr
    assert db_path.exists()
    assert mode(db_path) == 0o600


def test_db_from_environment(run_raw, tmp_path, monkeypatch):
    env_db = tmp_path / "from_env.db"
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("MHTOOL_DB", str(env_db))
    result = run_raw("db", "info")
    assert result.exit_code == 0, result.stderr
    assert env_db.exists()
    assert mode(env_db) == 0o600
    assert not (elsewhere / "mhtool.db").exists()
    assert str(env_db.resolve()) in result.stdout


def test_db_default_in_current_folder(run_raw, tmp_path, monkeypatch):
    monkeypatch.delenv("MHTOOL_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    result = run_raw("db", "info")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "mhtool.db").exists()
    assert mode(tmp_path / "mhtool.db") == 0o600


def test_db_option_beats_environment(run_raw, tmp_path, monkeypatch):
    env_db = tmp_path / "env.db"
    option_db = tmp_path / "option.db"
    monkeypatch.setenv("MHTOOL_DB", str(env_db))
    monkeypatch.chdir(tmp_path)
    result = run_raw("--db", option_db, "db", "info")
    assert result.exit_code == 0, result.stderr
    assert option_db.exists()
    assert not env_db.exists()
    assert not (tmp_path / "mhtool.db").exists()


def test_db_in_missing_folder_is_a_clear_error(run_raw, tmp_path):
    result = run_raw("--db", tmp_path / "no" / "such" / "x.db", "db", "info")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "Error" in result.stderr


def test_open_db_pragmas(db_path):
    db = open_db(db_path)
    conn = db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert mode(db_path) == 0o600
    conn.close()


def test_wal_mode_persists_in_file(run, query):
    run("db", "info")
    assert query("PRAGMA journal_mode")[0][0].lower() == "wal"


def test_tables_exist(run, query):
    run("db", "info")
    tables = {row[0] for row in query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"imports", "signals", "signal_phones"} <= tables


def test_source_ref_is_unique(import_mma, db_path):
    assert import_mma([["M-1", "01-10-2026", "", "Huizen", "Tekst", ""]]).exit_code == 0
    conn = sqlite3.connect(str(db_path))
    columns = [row[1] for row in conn.execute("PRAGMA table_info(signals)") if row[1] != "id"]
    names = ", ".join(columns)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(f"INSERT INTO signals ({names}) SELECT {names} FROM signals WHERE ref = 'M-1'")
    # The same ref from another source is a different signal.
    other = ", ".join("'watch'" if c == "source" else c for c in columns)
    conn.execute(f"INSERT INTO signals ({names}) SELECT {other} FROM signals WHERE ref = 'M-1'")
    assert conn.execute("SELECT count(*) FROM signals WHERE ref = 'M-1'").fetchone()[0] == 2
    conn.close()


def test_foreign_keys_enforced_on_product_connection(db_path):
    db = open_db(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute(
            "INSERT INTO signal_phones (signal_id, position, raw, e164, valid) VALUES (999, 0, 'x', NULL, 0)"
        )
    db.conn.close()


# --- db info / check / backup ---------------------------------------------------


def test_db_info(import_mma, run, db_path):
    assert import_mma(some_signals(3)).exit_code == 0
    result = run("db", "info")
    assert result.exit_code == 0, result.stderr
    assert str(db_path.resolve()) in result.stdout
    match = re.search(r"schema version:\s*(\d+)", result.stdout)
    assert match and int(match.group(1)) >= 1

    as_json = run("db", "info", "--format", "json")
    assert as_json.exit_code == 0
    counts = {row["table"]: row["rows"] for row in json.loads(as_json.stdout)}
    assert counts["signals"] == 3
    assert counts["imports"] == 1
    assert counts["signal_phones"] == 0


def test_db_check_sound(import_mma, run):
    assert import_mma(some_signals(5)).exit_code == 0
    result = run("db", "check")
    assert result.exit_code == 0, result.stderr


def test_db_check_corrupted(import_mma, run, db_path):
    assert import_mma(some_signals(1500)).exit_code == 0
    gc.collect()  # close connections the CLI left open
    conn = sqlite3.connect(str(db_path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    size = db_path.stat().st_size
    assert size > 40 * page_size
    with open(db_path, "r+b") as handle:
        for page in range(size // page_size // 3, size // page_size // 3 + 8):
            handle.seek(page * page_size)
            handle.write(bytes([0x5A, 0xA5, 0x00, 0xFF]) * (page_size // 4))
    result = run("db", "check")
    assert result.exit_code == 1
    assert result.stderr.strip()


def test_db_backup(import_mma, run, tmp_path, db_path):
    assert import_mma(some_signals(4)).exit_code == 0
    dest = tmp_path / "backup.db"
    result = run("db", "backup", dest)
    assert result.exit_code == 0, result.stderr
    assert mode(dest) == 0o600
    conn = sqlite3.connect(str(dest))
    assert conn.execute("SELECT count(*) FROM signals").fetchone()[0] == 4
    assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_db_backup_refuses_to_overwrite(run, tmp_path):
    dest = tmp_path / "exists.db"
    dest.write_bytes(b"keep me")
    result = run("db", "backup", dest)
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert dest.read_bytes() == b"keep me"

    forced = run("db", "backup", "--force", dest)
    assert forced.exit_code == 0, forced.stderr
    conn = sqlite3.connect(str(dest))
    assert "signals" in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert mode(dest) == 0o600


# --- region -------------------------------------------------------------------


@pytest.fixture(scope="module")
def region() -> Region:
    return Region(default_region())


EXPECTED_CBS = {
    "Blaricum": "GM0376",
    "Eemnes": "GM0317",
    "Gooise Meren": "GM1942",
    "Hilversum": "GM0402",
    "Huizen": "GM0406",
    "Laren": "GM0417",
    "Wijdemeren": "GM1696",
}


@pytest.mark.parametrize(
    "place, gemeente",
    [
        ("Bussum", "Gooise Meren"),
        ("Naarden", "Gooise Meren"),
        ("Muiden", "Gooise Meren"),
        ("'s-Graveland", "Wijdemeren"),
        ("s-Graveland", "Wijdemeren"),
        ("'s Graveland", "Wijdemeren"),
        ("s Graveland", "Wijdemeren"),
        ("Oud-Loosdrecht", "Wijdemeren"),
        ("NIEUW-LOOSDRECHT", "Wijdemeren"),
        ("Loosdrecht", "Wijdemeren"),
        ("Kortenhoef", "Wijdemeren"),
        ("hilversum", "Hilversum"),
        ("Blaricum", "Blaricum"),
        ("Eemnes", "Eemnes"),
        ("Huizen", "Huizen"),
        ("Laren", "Laren"),
    ],
)
def test_places_map_to_municipality(region, place, gemeente):
    placement = region.place(place, None, "2026-10-01")
    assert placement.gemeente == gemeente
    assert placement.cbs_code == EXPECTED_CBS[gemeente]
    assert placement.warning is None


def test_outside_region(region):
    placement = region.place("Amersfoort", None, "2026-10-01")
    assert placement.gemeente == OUTSIDE == "buiten regio"
    assert placement.warning is None


@pytest.mark.parametrize("place", ["Atlantis", "", None])
def test_unknown_or_empty_place(region, place):
    placement = region.place(place, None, "2026-10-01")
    assert placement.gemeente == UNKNOWN == "onbekend"
    assert placement.warning


def test_gemeente_cell_used_when_no_place(region):
    assert region.place(None, "Gooise Meren", "2026-10-01").gemeente == "Gooise Meren"


@pytest.mark.parametrize("place", ["Loosdrecht", "'s-Graveland", "Wijdemeren", "Ankeveen"])
def test_wijdemeren_merges_into_hilversum(region, place):
    before = region.place(place, None, "2026-12-31")
    assert (before.gemeente, before.cbs_code) == ("Wijdemeren", "GM1696")
    after = region.place(place, None, "2027-02-01")
    assert (after.gemeente, after.cbs_code) == ("Hilversum", "GM0402")


def test_merger_via_gemeente_cell(region):
    assert region.place(None, "Wijdemeren", "2027-02-01").gemeente == "Hilversum"
    assert region.place(None, "Wijdemeren", "2026-06-01").gemeente == "Wijdemeren"


def test_other_places_unchanged_by_merger(region):
    assert region.place("Bussum", None, "2027-02-01").gemeente == "Gooise Meren"
    assert region.place("Hilversum", None, "2027-02-01").gemeente == "Hilversum"


def test_region_show(run):
    result = run("region", "show", "--date", "2026-11-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["gemeente"]: r["cbs_code"] for r in rows} == EXPECTED_CBS
    assert all(int(r["inhabitants"]) > 0 and r["inhabitants_on"] for r in rows)


def test_region_show_after_merger(run):
    # A date after the merger that is also still in the future when this runs.
    day = max(datetime.date(2027, 1, 1), datetime.date.today() + datetime.timedelta(days=7))
    result = run("region", "show", "--date", day.isoformat(), "--format", "json")
    assert result.exit_code == 0, result.stderr
    names = {r["gemeente"] for r in json.loads(result.stdout)}
    assert names == set(EXPECTED_CBS) - {"Wijdemeren"}


def test_region_load_replaces_table(run, files, import_mma, query):
    table = files.text(
        "utrecht.csv",
        "gemeente,cbs_code,inhabitants,inhabitants_on,valid_from,valid_to,places\n"
        "Utrecht,GM0344,370000,2025-01-01,,,Utrecht|Zuilen|Vleuten\n",
    )
    result = run("region", "load", table)
    assert result.exit_code == 0, result.stderr
    shown = json.loads(run("region", "show", "--format", "json").stdout)
    assert [r["gemeente"] for r in shown] == ["Utrecht"]
    assert import_mma([["M-1", "01-10-2026", "", "Zuilen", "Tekst", ""]]).exit_code == 0
    assert query("SELECT gemeente, place FROM signals") == [("Utrecht", "Zuilen")]


def test_region_load_bad_file(run, files):
    table = files.text("bad.csv", "gemeente,cbs_code\nUtrecht,GM0344\n")
    result = run("region", "load", table)
    assert result.exit_code == 1
    assert "missing column" in result.stderr
    shown = json.loads(run("region", "show", "--format", "json").stdout)
    assert "Hilversum" in {r["gemeente"] for r in shown}
