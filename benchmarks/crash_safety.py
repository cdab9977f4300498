"""Kill mhtool again and again, and run commands side by side: count the runs
that left a database that fails `db check` or holds part of a command's work.

    python benchmarks/crash_safety.py            # 20 runs per scenario
    python benchmarks/crash_safety.py --runs 5

Each crash scenario starts a command, stops it at a named pause point
(mhtool/pausepoints.py) or after a random delay, kills its whole process
group with SIGKILL (as a power cut would) and then checks: `db check`
passes, and the command's rows are there all or not at all. The concurrency
scenarios start several writers at once (on a new or an existing database,
an import beside a restore) and check that every one finished with all its
rows. The figures go into README.md ("Security and privacy").
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from processes import Mhtool, run  # noqa: E402

HEADER = ["Meldingnummer", "Datum melding", "Categorie", "Plaats", "Omschrijving", "Telefoonnummer"]
AD_HEADER = ["Site", "Advertentie ID", "Datum", "Tekst", "Naam", "Leeftijd", "Telefoon", "Plaats"]


def signals_file(path: Path, prefix: str, rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow(
                [
                    f"{prefix}-{i}",
                    f"{1 + i % 28:02d}-{1 + i % 9:02d}-2026",
                    "",
                    ["Huizen", "Bussum", "Laren"][i % 3],
                    f"Melding {i} over een woning",
                    f"06-{30_000_000 + i % (rows // 2 or 1)}",
                ]
            )
    return path


def ads_file(path: Path, rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(AD_HEADER)
        for i in range(rows):
            writer.writerow(
                [
                    "crash.example",
                    f"A-{i}",
                    "20-11-2026",
                    f"Nieuw ({i}), 24/7",
                    "Anna",
                    "24",
                    f"06-{40_000_000 + i}",
                    "Huizen",
                ]
            )
    return path


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def sound(db: Path) -> bool:
    return run(db, "db", "check")[0] == 0


@dataclass
class Tally:
    name: str
    runs: int = 0
    failures: int = 0


def crash(tally: Tally, work: Path, args_for, pause: str | None, check) -> None:
    """One run: a seeded database, the command killed at `pause` (or after a
    random delay when None), then `check(db)`."""
    run_dir = Path(tempfile.mkdtemp(dir=work))
    db = run_dir / "crash.db"
    assert run(db, "signals", "import", "--source", "mma", signals_file(run_dir / "seed.csv", "SEED", 20))[0] == 0
    args = args_for(run_dir, db)
    process = Mhtool(db, *args, pause_at=pause, pause_dir=run_dir)
    if pause:
        process.wait_reached()
    else:
        time.sleep(random.uniform(0.05, 1.5))
    if process.process.poll() is None:
        process.kill()
    else:
        process.finish()
    tally.runs += 1
    if not (sound(db) and check(db)):
        tally.failures += 1
    shutil.rmtree(run_dir, ignore_errors=True)


def all_or_nothing(prefix: str, rows: int, table: str = "signals", column: str = "ref"):
    def check(db: Path) -> bool:
        found = count(db, f"SELECT count(*) FROM {table} WHERE {column} LIKE '{prefix}%'")
        return found in (0, rows) and count(db, "SELECT count(*) FROM signals WHERE ref LIKE 'SEED-%'") == 20

    return check


def concurrent(tally: Tally, work: Path, writers: int, fresh: bool) -> None:
    run_dir = Path(tempfile.mkdtemp(dir=work))
    db = run_dir / "shared.db"
    if not fresh:
        assert run(db, "db", "info")[0] == 0
    files = [signals_file(run_dir / f"w{i}.csv", f"W{i}", 300) for i in range(writers)]
    processes = [Mhtool(db, "signals", "import", "--source", "mma", path) for path in files]
    codes = [p.finish()[0] for p in processes]
    tally.runs += 1
    if codes != [0] * writers or count(db, "SELECT count(*) FROM signals") != 300 * writers or not sound(db):
        tally.failures += 1
    shutil.rmtree(run_dir, ignore_errors=True)


def import_beside_restore(tally: Tally, work: Path) -> None:
    run_dir = Path(tempfile.mkdtemp(dir=work))
    db = run_dir / "shared.db"
    assert run(db, "signals", "import", "--source", "mma", signals_file(run_dir / "seed.csv", "SEED", 20))[0] == 0
    assert run(db, "db", "backup", run_dir / "backup.db")[0] == 0
    importer = Mhtool(db, "signals", "import", "--source", "mma", signals_file(run_dir / "new.csv", "NEW", 500))
    time.sleep(random.uniform(0, 0.5))
    restore_code = run(db, "db", "restore", run_dir / "backup.db")[0]
    import_code = importer.finish()[0]
    kept = sum(
        count(p, "SELECT count(*) FROM signals WHERE ref LIKE 'NEW-%'")
        for p in run_dir.glob("shared.db.before-restore-*")
    )
    now = count(db, "SELECT count(*) FROM signals WHERE ref LIKE 'NEW-%'")
    tally.runs += 1
    # The import's rows are in the restored database (it wrote after) or in
    # the copy the restore kept (it wrote before): never lost.
    if restore_code or import_code or now + kept != 500 or not sound(db):
        tally.failures += 1
    shutil.rmtree(run_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per scenario (default 20)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mhtool-crash-"))
    big = 30_000

    def signal_import(run_dir, db):
        return ["signals", "import", "--source", "mma", signals_file(run_dir / "big.csv", "BIG", big)]

    def ads_import(run_dir, db):
        return ["ads", "import", ads_file(run_dir / "ads.csv", 5_000)]

    def restore(run_dir, db):
        assert run(db, "db", "backup", run_dir / "backup.db")[0] == 0
        assert run(db, "signals", "import", "--source", "mma", signals_file(run_dir / "x.csv", "X", 10))[0] == 0
        return ["db", "restore", run_dir / "backup.db"]

    def restore_check(db):
        return count(db, "SELECT count(*) FROM signals WHERE ref LIKE 'X-%'") in (0, 10)

    scenarios = [
        ("signals import, killed holding the lock", signal_import, "import-locked", all_or_nothing("BIG", big)),
        (
            "signals import, killed while workers parse",
            signal_import,
            "import-workers-running",
            all_or_nothing("BIG", big),
        ),
        ("signals import, killed before its commit", signal_import, "import-before-commit", all_or_nothing("BIG", big)),
        ("signals import, killed before dedupe", signal_import, "import-committed", all_or_nothing("BIG", big)),
        ("signals import, killed at a random moment", signal_import, None, all_or_nothing("BIG", big)),
        (
            "ads import, killed before its commit",
            ads_import,
            "import-before-commit",
            all_or_nothing("A-", 5_000, "ads", "ad_id"),
        ),
        ("ads import, killed at a random moment", ads_import, None, all_or_nothing("A-", 5_000, "ads", "ad_id")),
        ("db restore, killed holding the lock", restore, "restore-before-commit", restore_check),
        ("db restore, killed at a random moment", restore, None, restore_check),
    ]
    tallies = []
    started = time.monotonic()
    for name, args_for, pause, check in scenarios:
        tally = Tally(name)
        for _ in range(args.runs):
            crash(tally, work, args_for, pause, check)
        tallies.append(tally)
        print(f"{name}: {tally.runs} runs, {tally.failures} failures", flush=True)
    for name, writers, fresh in (
        ("4 imports at once on a new database", 4, True),
        ("2 imports at once on an existing database", 2, False),
    ):
        tally = Tally(name)
        for _ in range(args.runs):
            concurrent(tally, work, writers, fresh)
        tallies.append(tally)
        print(f"{name}: {tally.runs} runs, {tally.failures} failures", flush=True)
    tally = Tally("an import beside a restore")
    for _ in range(args.runs):
        import_beside_restore(tally, work)
    tallies.append(tally)
    print(f"{tally.name}: {tally.runs} runs, {tally.failures} failures", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    total_runs, total_failures = sum(t.runs for t in tallies), sum(t.failures for t in tallies)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    print(f"total: {total_runs} runs, {total_failures} failures, {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
