"""Benchmark the weekly ad run at national scale (issue 12, "weekly cost
follows the week").

Generates a year of weekly ad exports: ``--ads`` active ads a week (default
30,000), 80% of them seen again the next week (a few with a changed price or
place), the rest new; operators with small groups of ads that share a phone,
a photo and their own wording; site templates used by many unrelated ads.
Imports the weeks one by one with `mhtool ads import` into a fresh database
and scores each week with `mhtool ads score --week` (scores stored, list
written to a file), as the weekly routine does, each in its own process;
for weeks 1, 10, 26 and 52 it prints the wall time, the CPU time and peak
memory of each command (summed PSS of all its processes) and the load average of the machine, and
at the end the database size and its growth per week (with the scores
stored every week, and without them). ``--score-measured-only`` scores only
the measured weeks (faster). At the end the first and the last measured
week are scored again in turn on the final database: the reference for the
ratio, under the same history and load.

    python benchmarks/ads_scale.py                 # 30,000 ads a week, 52 weeks
    python benchmarks/ads_scale.py --ads 5000      # scaled down

Targets: scoring week 52 within 1.3x of week 1 and under 10 s on 2 cores;
import of a 30k-ad week under 10 s; peak memory under 400 MB; database
growth under 15 MB a week. The reference measured in the same run is week
1 itself (the ratio), plus a fixed CPU workload to compare machines.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import importlib.util
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("import_signals", HERE / "import_signals.py")
measure = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(measure)  # run(): seconds, max RSS and the summed PSS of the process tree

HEADER = [
    "Site",
    "Advertentie ID",
    "Datum",
    "Tekst",
    "Naam",
    "Leeftijd",
    "Telefoon",
    "Plaats",
    "Vergunningnummer",
    "Prijs",
    "Foto hashes",
]
PLACES = [
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Den Haag",
    "Eindhoven",
    "Groningen",
    "Hilversum",
    "Huizen",
    "Bussum",
    "Zwolle",
    "Arnhem",
    "Nijmegen",
    "Breda",
    "Tilburg",
    "Almere",
    "Haarlem",
    "Leiden",
    "'s-Graveland",
]
NAMES = [
    "Mila",
    "Daria",
    "Roxy",
    "Bella",
    "Nikita",
    "Lina",
    "Cleo",
    "Eva",
    "Jasmijn",
    "Noor",
    "Sara",
    "Lotte",
    "Anna",
    "Kim",
    "Lisa",
    "Sophie",
    "Emma",
    "Julia",
    "Nina",
    "Zoe",
]
TEMPLATES = [
    "Hallo heren, ik ben {name} uit {place} en ik ontvang je graag in een schone en discrete ruimte. "
    "Ik neem altijd de tijd voor je. Douche en handdoeken aanwezig, gratis parkeren voor de deur.",
    "Welkom bij {name}! Nieuw in {place}, sexy en spontaan. Bel of app voor een afspraak, "
    "ik ben discreet en lief en verwen je graag helemaal.",
    "Lieve {name} in {place}: massage en meer in een rustige en schone kamer. Alleen op afspraak, "
    "bel gerust voor de mogelijkheden en mijn tarieven.",
]
SITES = ["kinky.example", "sexjobs.example", "redlights.example"]


def _vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnoprstuvwz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(3000)]


class Market:
    """The population of ads, week after week."""

    def __init__(self, size: int, seed: int = 7):
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng)
        self.size = size
        self.next_id = 0
        self.ads: dict[str, dict] = {}

    def _own_text(self) -> str:
        return " ".join(self.rng.choice(self.words) for _ in range(self.rng.randint(25, 45))) + "."

    def _new_ad(self) -> dict:
        rng = self.rng
        self.next_id += 1
        name, place = rng.choice(NAMES), rng.choice(PLACES)
        text = rng.choice(TEMPLATES).format(name=name, place=place) if rng.random() < 0.4 else ""
        text += " " + self._own_text()
        return {
            "site": rng.choice(SITES),
            "id": f"A{self.next_id:07d}",
            "name": name,
            "place": place,
            "text": text.strip(),
            "age": str(rng.randint(21, 45)),
            "phone": f"06-{rng.randint(10000000, 99999999)}",
            "licence": "" if rng.random() < 0.5 else f"LIC-{rng.randint(1000, 9999)}",
            "price": str(rng.choice([100, 120, 150, 180, 200, 60, 80])),
            "photos": ";".join(f"{rng.getrandbits(64):016x}" for _ in range(rng.randint(1, 3))),
        }

    def _operator_group(self) -> list[dict]:
        """3 ads, one phone, one photo and one own paragraph, other names."""
        base = [self._new_ad() for _ in range(3)]
        own, phone, photo = self._own_text(), base[0]["phone"], base[0]["photos"].split(";")[0]
        for ad in base:
            ad["text"] = f"Hoi, ik ben {ad['name']}. {own}"
            ad["phone"], ad["photos"] = phone, photo
        return base

    def week(self) -> list[dict]:
        rng = self.rng
        kept = {k: v for k, v in self.ads.items() if rng.random() < 0.8}
        for ad in kept.values():
            if rng.random() < 0.05:
                ad["price"] = str(rng.choice([100, 120, 150, 180]))
            if rng.random() < 0.02:
                ad["place"] = rng.choice(PLACES)
        while len(kept) < self.size:
            for ad in self._operator_group() if rng.random() < 0.05 else [self._new_ad()]:
                kept[ad["id"]] = ad
        self.ads = kept
        return list(kept.values())


def write_week(path: Path, ads: list[dict], day: datetime.date) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for ad in ads:
            writer.writerow(
                [
                    ad["site"],
                    ad["id"],
                    day.strftime("%d-%m-%Y"),
                    ad["text"],
                    ad["name"],
                    ad["age"],
                    ad["phone"],
                    ad["place"],
                    ad["licence"],
                    ad["price"],
                    ad["photos"],
                ]
            )


def run(args: list[str]) -> tuple[float, float, float]:
    """Seconds, peak memory (MB) and CPU seconds of one mhtool command; the
    memory is that of all its processes (`ads score` uses two), summed PSS
    sampled every 0.1 s, or the max RSS of the command where /proc cannot tell."""
    seconds, largest, tree, cpu = measure.run([sys.executable, "-m", "mhtool", *args])
    return seconds, tree or largest, cpu


def cpu_reference() -> float:
    started = time.perf_counter()
    rng = random.Random(1)
    sorted(rng.random() for _ in range(1_000_000))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ads", type=int, default=30_000, help="active ads a week")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--score-measured-only", action="store_true", help="score only weeks 1, 10, 26, 52")
    parser.add_argument("--workdir", type=Path, help="keep the database here (default: a temporary folder)")
    args = parser.parse_args()
    measured = [w for w in (1, 10, 26, 52) if w <= args.weeks]
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"reference: sorting 1,000,000 floats took {cpu_reference():.2f} s")
    print(f"{args.ads:,} active ads a week, {args.weeks} weeks")
    market = Market(args.ads)
    with tempfile.TemporaryDirectory() as scratch:
        tmp = scratch
        if args.workdir:
            args.workdir.mkdir(parents=True, exist_ok=True)
            tmp = str(args.workdir)
        db = Path(tmp) / "ads.db"
        if db.exists():
            raise SystemExit(f"{db} exists: give an empty --workdir")
        sizes, score_bytes, results = [], [], {}
        for week in range(1, args.weeks + 1):
            path = Path(tmp) / f"week{week:02d}.csv"
            write_week(path, market.week(), datetime.date.fromisocalendar(2025, week, 3))
            imported = run(["--db", str(db), "--quiet", "ads", "import", str(path)])
            path.unlink()
            before = size_of(Path(tmp))
            if week in measured or not args.score_measured_only:
                scored = run(score_args(db, week, Path(tmp) / "scores.csv"))
                score_bytes.append(size_of(Path(tmp)) - before)
            sizes.append(size_of(Path(tmp)))
            if week in measured:
                results[week] = (imported, scored, sizes[-1])
                load = "/".join(f"{n:.1f}" for n in os.getloadavg())
                print(
                    f"week {week:2d}: import {imported[0]:6.2f} s (cpu {imported[2]:5.2f} s, {imported[1]:4.0f} MB), "
                    f"score {scored[0]:6.2f} s (cpu {scored[2]:5.2f} s, {scored[1]:4.0f} MB), "
                    f"database {sizes[-1] / 1e6:7.1f} MB, load {load}",
                    flush=True,
                )
        summary(args, measured, results, sizes, score_bytes)
        back_to_back(db, measured, Path(tmp) / "scores.csv")


def back_to_back(db: Path, measured: list[int], output: Path) -> None:
    """The first and the last week scored again on the final database, in
    turn (scores not stored): the same history and the same load for both,
    so the ratio is the cost of the week, not of the machine's moment."""
    first, last = measured[0], measured[-1]
    cpu: dict[int, list[float]] = {first: [], last: []}
    for _ in range(2):
        for week in (first, last):
            cpu[week].append(run([*score_args(db, week, output), "--no-store"])[2])
    a, b = min(cpu[first]), min(cpu[last])
    print(
        f"back to back on the final database (best of 2, cpu): week {first} {a:.2f} s, week {last} {b:.2f} s, "
        f"{b / a:.2f}x (target <= 1.3x)"
    )


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("ads.db*"))


def score_args(db: Path, week: int, output: Path) -> list[str]:
    return [
        "--db",
        str(db),
        "--quiet",
        "ads",
        "score",
        "--week",
        f"2025-W{week:02d}",
        "--format",
        "csv",
        "-o",
        str(output),
    ]


def summary(args, measured: list[int], results: dict, sizes: list[int], score_bytes: list[int]) -> None:
    first, last = results[measured[0]], results[measured[-1]]
    growth = (sizes[-1] - sizes[0]) / max(1, len(sizes) - 1) / 1e6
    scores = sum(score_bytes) / max(1, len(score_bytes)) / 1e6
    peak = max(max(i[1], s[1]) for i, s, _ in results.values())
    print(
        f"score week {measured[-1]} / week {measured[0]}: {last[1][0] / first[1][0]:.2f}x wall, "
        f"{last[1][2] / first[1][2]:.2f}x cpu (target <= 1.3x)"
    )
    print(f"score week {measured[-1]}: {last[1][0]:.2f} s (cpu {last[1][2]:.2f} s) (target < 10 s)")
    slowest = max(results.values(), key=lambda r: r[0][0])[0]
    print(f"import, slowest measured week: {slowest[0]:.2f} s (cpu {slowest[2]:.2f} s) (target < 10 s)")
    print(f"peak memory, all processes of a command (summed PSS): {peak:.0f} MB (target < 400 MB)")
    every = "scored every week" if not args.score_measured_only else f"scored weeks {measured}"
    print(f"database growth: {growth:.1f} MB a week ({every}; a week's stored scores {scores:.1f} MB) (target < 15 MB)")


if __name__ == "__main__":
    main()
