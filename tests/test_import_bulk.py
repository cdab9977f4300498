"""A large signal import builds the date-ordered indexes once, at the end,
instead of row by row: the result must be the database a small import gives,
and a failed or dry-run import must leave the indexes as they were."""

from __future__ import annotations

import gc
import sqlite3

import pytest

from mhtool.signals.importer import BulkIndexes

HEADER = ["Meldingnummer", "Datum melding", "Categorie", "Plaats", "Omschrijving", "Telefoonnummer"]
PLACES = ["Hilversum", "Bussum", "Laren", "Amersfoort", ""]


def rows(n: int, bad_at: int | None = None) -> list[list[str]]:
    out = []
    for i in range(n):
        date = f"{i % 28 + 1:02d}-{i % 12 + 1:02d}-2025" if i != bad_at else "31-02-2025"
        phone = f"06-{10000000 + i * 7919 % 89999999}" if i % 3 else ""
        out.append(
            [
                f"M-{i:05d}",
                date,
                ["Arbeidsuitbuiting", "", "Mensenhandel"][i % 3],
                PLACES[i % 5],
                f"Melding {i} over een woning",
                phone,
            ]
        )
    return out


def csv_text(table: list[list[str]]) -> str:
    return "\n".join(";".join(r) for r in [HEADER, *table]) + "\n"


def indexes(db_path) -> dict[str, str]:
    conn = sqlite3.connect(db_path)
    try:
        return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    finally:
        conn.close()


def content(db_path) -> dict[str, list]:
    """What an import stored, without its times."""
    conn = sqlite3.connect(db_path)
    try:
        return {
            "signals": conn.execute(
                "SELECT id, source, ref, reported_on, type, gemeente, raw, content_hash, situation_id "
                "FROM signals ORDER BY id"
            ).fetchall(),
            "phones": conn.execute("SELECT * FROM signal_phones ORDER BY signal_id, position").fetchall(),
            "situations": conn.execute("SELECT * FROM situations ORDER BY id").fetchall(),
            "integrity": conn.execute("PRAGMA integrity_check").fetchall(),
        }
    finally:
        conn.close()


@pytest.fixture
def bulk_from_small_imports(monkeypatch):
    """Any import of more than a few rows counts as large."""
    dropped = []
    original = BulkIndexes.consider

    def consider(self, run):
        original(self, run)
        if self.deferred.dropped and not dropped:
            dropped.append(run.result.read)

    monkeypatch.setattr(BulkIndexes, "MIN_ROWS", 10)
    monkeypatch.setattr(BulkIndexes, "consider", consider)
    return dropped


def test_bulk_import_gives_the_same_database(run, db_path, tmp_path, bulk_from_small_imports, monkeypatch):
    # From stdin the size is unknown: the import turns bulk once as many rows
    # again as already read are expected.
    result = run("signals", "import", "--source", "mma", "--no-dedupe", "-", input=csv_text(rows(1500)))
    assert result.exit_code == 0, result.stderr
    assert bulk_from_small_imports, "the import did not switch to building the indexes at the end"
    bulk = content(db_path)
    bulk_indexes = indexes(db_path)

    bulk_from_small_imports.clear()
    monkeypatch.setattr(BulkIndexes, "MIN_ROWS", 10**9)
    small_db = tmp_path / "small.db"
    result = run(
        "--db", small_db, "signals", "import", "--source", "mma", "--no-dedupe", "-", input=csv_text(rows(1500))
    )
    assert result.exit_code == 0, result.stderr
    assert not bulk_from_small_imports
    assert bulk == content(small_db)
    assert bulk["integrity"] == [("ok",)]
    assert len(bulk["signals"]) == 1500 and len(bulk["situations"]) == 1500
    assert bulk_indexes == indexes(small_db)
    assert {"signals_stats", "situations_stats", "signal_phones_e164"} <= set(bulk_indexes)


def test_bulk_import_that_fails_leaves_the_indexes(run, db_path, bulk_from_small_imports):
    assert run("signals", "import", "--source", "mma", "-", input=csv_text(rows(20))).exit_code == 0
    before, stored = indexes(db_path), content(db_path)
    result = run("signals", "import", "--source", "mma", "-", input=csv_text(rows(3000, bad_at=2900)[20:]))
    assert result.exit_code == 1
    assert "31-02-2025" not in result.stderr
    assert bulk_from_small_imports
    assert indexes(db_path) == before
    assert content(db_path) == stored

    result = run("signals", "import", "--source", "mma", "--dry-run", "-", input=csv_text(rows(3000)[20:]))
    assert result.exit_code == 0, result.stderr
    assert indexes(db_path) == before
    assert content(db_path) == stored


def test_a_large_file_on_disk_turns_bulk_at_once_and_a_small_one_never(run, files, db_path, monkeypatch):
    decided = []
    original = BulkIndexes.consider

    def consider(self, run):
        original(self, run)
        decided.append((run.result.read, bool(self.deferred.dropped)))

    monkeypatch.setattr(BulkIndexes, "consider", consider)
    monkeypatch.setattr(BulkIndexes, "MIN_ROWS", 2000)
    small = files.csv("small.csv", [HEADER, *rows(1200)], delimiter=";")
    assert run("signals", "import", "--source", "mma", "--no-dedupe", small).exit_code == 0
    assert decided and not any(bulk for _, bulk in decided)

    decided.clear()
    # 30,000 more rows against 1,200 stored: the file's size says so well before its end.
    large = files.csv("large.csv", [HEADER, *rows(31200)[1200:]], delimiter=";")
    assert run("signals", "import", "--source", "mma", "--no-dedupe", large).exit_code == 0
    turned = [read for read, bulk in decided if bulk]
    assert turned and turned[0] <= 5000, decided[:40]

    decided.clear()
    # the same file again adds nothing: rebuilding the indexes would only cost time
    result = run("signals", "import", "--source", "mma", "--no-dedupe", large)
    assert result.exit_code == 0 and "30000 already present" in result.stdout + result.stderr
    assert decided and not any(bulk for _, bulk in decided)


def test_cycle_collection_is_back_on_after_an_import(run, files):
    assert gc.isenabled()
    run("signals", "import", "--source", "mma", files.csv("in.csv", [HEADER, *rows(5)], delimiter=";"))
    assert gc.isenabled()


def test_rows_parsed_in_workers_are_stored_as_rows_parsed_here(run, db_path, tmp_path, monkeypatch):
    """One row path: a file parsed in worker processes and the same file
    parsed in this process store the same rows and report the same problems."""
    table = rows(5000)  # more than one chunk, so that workers are used
    table[5][1] = "31-02-2025"  # rejected
    table[7][0] = table[6][0]  # the same ref with other content: a conflict
    args = ("signals", "import", "--source", "mma", "--no-dedupe", "--skip-bad")
    monkeypatch.setenv("MHTOOL_IMPORT_WORKERS", "2")
    in_workers = run(*args, "-", input=csv_text(table))
    assert in_workers.exit_code == 0

    monkeypatch.setenv("MHTOOL_IMPORT_WORKERS", "1")
    here_db = tmp_path / "here.db"
    here = run("--db", here_db, *args, "-", input=csv_text(table))
    assert here.exit_code == 0
    assert "4998 new" in here.stdout + here.stderr
    assert here.stderr == in_workers.stderr
    assert content(here_db) == content(db_path)
