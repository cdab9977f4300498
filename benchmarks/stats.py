"""Benchmark `mhtool stats` and `mhtool report quarterly` on a large database.

Writes N signals in N/2 situations (two signals each, the second from
another source a few days later) straight into a temporary database with
executemany, then times every command twice: inside this process (click's
CliRunner, the command's own work) and as a new `python -m mhtool` process
(what the user waits for, Python start-up included).

    python benchmarks/stats.py                  # 1,000,000 signals
    python benchmarks/stats.py --signals 200000

Target (issue 5): every stats command under 1 s at 1,000,000 signals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from click.testing import CliRunner  # noqa: E402

from mhtool.cli.root import cli  # noqa: E402
from mhtool.store.db import open_db, transaction  # noqa: E402

# (place, gemeente) with the weights of a real quarter, roughly.
PLACES = [
    ("Hilversum", "Hilversum", 30),
    ("Bussum", "Gooise Meren", 12),
    ("Naarden", "Gooise Meren", 6),
    ("Huizen", "Huizen", 12),
    ("Laren", "Laren", 4),
    ("Blaricum", "Blaricum", 4),
    ("Eemnes", "Eemnes", 3),
    ("Loosdrecht", "Wijdemeren", 5),
    ("Kortenhoef", "Wijdemeren", 3),
    ("Amersfoort", "buiten regio", 4),
    (None, "onbekend", 3),
]
TYPES = [("sexual", 25), ("labour", 7), ("criminal", 3), ("other", 1), ("unknown", 1)]
SOURCES = ["mma", "watch", "veiligthuis", "manual"]
NATIONALITIES = [None, None, "Nederlands", "Roemeens", "Pools", "Hongaars", "Nigeriaans", "Chinees"]
TEXT = "Melder ziet 's avonds steeds andere mannen bij een woning aan de Dorpsstraat; vermoedt prostitutie. "
FIRST_DAY = dt.date(2024, 1, 1)
DAYS = (dt.date(2026, 11, 20) - FIRST_DAY).days

COMMANDS = [
    ["stats", "--by", "gemeente"],
    ["stats", "--by", "gemeente", "--period", "2026Q3"],
    ["stats", "--by", "gemeente", "--period", "2026Q3", "--per", "10000", "--compare", "previous"],
    ["stats", "--by", "type", "--period", "2026", "--per", "10000", "--compare", "year"],
    ["stats", "--by", "gemeente", "--by", "type", "--pivot"],
    ["stats", "--by", "gemeente", "--by", "type", "--count", "signals"],
    ["stats", "--by", "month", "--count", "signals"],
    ["stats", "--by", "quarter", "--by", "type", "--period", "2026", "--compare", "year"],
    ["stats", "--by", "source", "--by", "victim_nationality"],
    ["stats", "--by", "place", "--count", "signals", "--period", "2026Q3"],
    ["stats", "--by", "victim_age", "--from", "1-1-2025", "--to", "30-6-2026"],
    ["stats", "--by", "victim_gender", "--count", "signals"],
    ["stats", "--by", "year", "--chart"],
    ["report", "quarterly", "2026Q3"],
]


def _weighted(rng: random.Random, items):
    return rng.choices([i[:-1] if len(i) > 2 else i[0] for i in items], weights=[i[-1] for i in items])[0]


def generate(path: Path, signals: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    db = open_db(path)
    conn = db.conn
    raw = json.dumps({"Omschrijving": TEXT, "Categorie": "Mensenhandel", "Plaats": "Hilversum"})
    now = dt.datetime.now().isoformat(timespec="seconds")
    signal_rows, situation_rows = [], []
    with transaction(db):
        for pair in range(signals // 2):
            first = 2 * pair + 1
            day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
            place, gemeente = _weighted(rng, PLACES)
            type_ = _weighted(rng, TYPES)
            source, other = rng.sample(SOURCES, 2)
            gender = rng.choice([None, None, "vrouw", "vrouw", "man"])
            age = rng.choice([None, None, rng.randint(14, 45)])
            nationality = rng.choice(NATIONALITIES)
            for offset, (signal_id, src) in enumerate(((first, source), (first + 1, other))):
                signal_rows.append(
                    (
                        signal_id,
                        src,
                        f"R-{signal_id:08d}",
                        (day + dt.timedelta(days=3 * offset)).isoformat(),
                        type_,
                        "given",
                        place,
                        gemeente,
                        TEXT,
                        gender,
                        age,
                        nationality,
                        raw,
                        f"h{signal_id}",
                        now,
                        first,
                    )
                )
            situation_rows.append(
                (
                    first,
                    day.isoformat(),
                    type_,
                    "given",
                    gemeente,
                    place,
                    source,
                    ",".join(sorted((source, other))),
                    2,
                    gender,
                    age,
                    nationality,
                )
            )
            if len(signal_rows) >= 100_000:
                _flush(conn, signal_rows, situation_rows)
        _flush(conn, signal_rows, situation_rows)
    conn.execute("ANALYZE")
    conn.close()


def _flush(conn, signal_rows: list, situation_rows: list) -> None:
    conn.executemany(
        "INSERT INTO signals (id, source, ref, reported_on, type, type_origin, place, gemeente, text, "
        "victim_gender, victim_age, victim_nationality, raw, content_hash, created_at, situation_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        signal_rows,
    )
    conn.executemany(
        "INSERT INTO situations (id, reported_on, type, type_origin, gemeente, place, source, sources, "
        "signal_count, victim_gender, victim_age, victim_nationality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        situation_rows,
    )
    signal_rows.clear()
    situation_rows.clear()


def in_process(db: Path, command: list[str]) -> float:
    runner = CliRunner()
    start = time.perf_counter()
    result = runner.invoke(cli, ["--quiet", "--db", str(db), *command])
    seconds = time.perf_counter() - start
    if result.exit_code != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.output}")
    return seconds


def new_process(db: Path, command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mhtool", "--quiet", "--db", str(db), *command], check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signals", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "stats.db"
        start = time.perf_counter()
        generate(db, args.signals)
        size = db.stat().st_size / 1e6
        print(
            f"generated {args.signals:,} signals in {args.signals // 2:,} situations "
            f"({size:.0f} MB) in {time.perf_counter() - start:.1f} s"
        )
        in_process(db, ["stats", "--by", "type"])  # first use stores the region table
        print(f"{'in process':>11} {'new process':>12}  command   (target < 1 s)")
        for command in COMMANDS:
            inside = min(in_process(db, command) for _ in range(2))
            outside = new_process(db, command)
            print(f"{inside:9.3f} s {outside:10.3f} s  mhtool {' '.join(command)}")


if __name__ == "__main__":
    main()
