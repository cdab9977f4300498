"""How the dedupe scales: incremental after an import, and a full run.

Uses the labelled generator of benchmarks/dedupe_quality.py, which is
realistic about how often names, streets and phone numbers repeat: 3,000
surnames and the first names drawn with a Zipf-like skew, streets per
municipality, phones unique per situation, situations reported 1 to 4 times
in 100 municipalities (the bundled region plus others, by size).

Prints (issue 13's targets in brackets; printed, not asserted):

1. import of ROWS rows with dedupe, against the same import with
   `--no-dedupe` (the reference, measured in the same run): time and peak
   memory of all processes [within 1.5x, under 300 MB at 100,000 rows];
2. a database of BASE signals (imported with `--no-dedupe`, then one full
   `signals dedupe`: its time and peak memory [under 1 GB at 1,000,000]);
3. into that database: `signals add` of one signal [under 0.5 s at
   1,000,000], next to `mhtool db info` (the start-up every command pays,
   the reference), and an import of 1,000 new signals with dedupe [under
   10 s].

Each command runs in its own process; printed are its wall-clock seconds,
its CPU seconds (user + system, with the workers it waited for: what load
from other programs on the machine changes least) and the peak memory of
all its processes (summed PSS), with the load average before and after.

    python benchmarks/dedupe_scale.py                           # 100,000 rows; base 300,000
    python benchmarks/dedupe_scale.py --rows 100000 --base 1000000 --workdir /tmp/dedupe-scale
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import platform
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


quality = _load("dedupe_quality")
measure = _load("import_signals")  # run(): seconds, max RSS and the summed PSS of the process tree


def mhtool(db: Path, *args) -> list[str]:
    return [sys.executable, "-m", "mhtool", "--quiet", "--db", str(db), *map(str, args)]


def timed(db: Path, *args) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak MB of all processes of one mhtool command."""
    seconds, peak, tree, cpu = measure.run(mhtool(db, *args))
    return seconds, cpu, tree or peak


def shown(figures: tuple[float, float, float]) -> str:
    seconds, cpu, mb = figures
    return f"{seconds:.2f} s ({cpu:.2f} s CPU), {mb:.0f} MB"


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def generated(folder: Path, signals: int, seed: int) -> tuple[Path, Path, Path, Path | None]:
    """One MMA file of `signals` rows (both sources' reports, in MMA columns),
    one of the last 1% (`extra`), and the region file."""
    merged = folder / f"all-{signals}-{seed}.csv"
    region = folder / "region.csv"
    if merged.exists() and region.exists():  # kept in --workdir by an earlier run
        return merged, merged, merged, region
    data = quality.generate(folder, signals, seed, 100, 0.2)
    mma, watch, extra = data.files
    with merged.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(quality.MMA_HEADER)
        for path in (mma, extra):
            with path.open(encoding="utf-8", newline="") as handle:
                writer.writerows(list(csv.reader(handle))[1:])
        with watch.open(encoding="utf-8", newline="") as handle:
            for ref, day, category, place, text, phones, persons, _url in list(csv.reader(handle))[1:]:
                writer.writerow([ref, day, category, place, "", text, phones, persons, ""])
    return merged, mma, extra, data.region


def head(path: Path, rows: int, target: Path, skip: int = 0, prefix: str = "") -> Path:
    """The first `rows` data rows of `path` after `skip`, their refs prefixed."""
    with path.open(encoding="utf-8", newline="") as handle, target.open("w", encoding="utf-8", newline="") as out:
        reader, writer = csv.reader(handle), csv.writer(out)
        writer.writerow(next(reader))
        for n, row in enumerate(reader):
            if n >= skip + rows:
                break
            if n >= skip:
                writer.writerow([prefix + row[0], *row[1:]])
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the import measured in 1 (100,000)")
    parser.add_argument("--base", type=int, default=300_000, help="signals in the database of 2 and 3 (300,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workdir", type=Path, help="keep the generated file here, and use it again (default: a temporary folder)"
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; {load()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data_folder = args.workdir or folder
        data_folder.mkdir(parents=True, exist_ok=True)
        source, _, _, region = generated(data_folder, max(args.rows, args.base) + 2_000, args.seed)
        _import(folder, source, region, args.rows)
        _base(folder, source, region, args.base)
    print(f"done; {load()}")


def _import(folder: Path, source: Path, region: Path | None, rows: int) -> None:
    part = head(source, rows, folder / "import.csv")
    figures = {}
    for label, extra in (("--no-dedupe", ["--no-dedupe"]), ("with dedupe", [])):
        db = folder / f"import{len(extra)}.db"
        if region:
            timed(db, "region", "load", region)
        figures[label] = timed(db, "signals", "import", "--source", "mma", *extra, part)
    reference, dedupe = figures["--no-dedupe"], figures["with dedupe"]
    print(
        f"1. import of {rows:,} rows: --no-dedupe {shown(reference)} (reference); with dedupe {shown(dedupe)} = "
        f"{dedupe[0] / reference[0]:.2f}x wall-clock, {dedupe[1] / reference[1]:.2f}x CPU   "
        f"[target within 1.5x, under 300 MB at 100,000]; {load()}"
    )


def _base(folder: Path, source: Path, region: Path | None, base: int) -> None:
    db = folder / "base.db"
    if region:
        timed(db, "region", "load", region)
    stored = timed(db, "signals", "import", "--source", "mma", "--no-dedupe", head(source, base, folder / "b.csv"))
    full = timed(db, "signals", "dedupe")
    print(
        f"2. {quality.count(db):,} signals: import --no-dedupe {shown(stored)}; full signals dedupe {shown(full)}   "
        f"[target under 1 GB at 1,000,000]; {load()}"
    )
    startup = timed(db, "db", "info")
    one = timed(
        db,
        "signals",
        "add",
        "--date",
        "02-03-2026",
        "--place",
        "Hilversum",
        "--text",
        "Steeds andere mannen bij een woning",
        "--phones",
        "06-12345678",
        "--persons",
        "Dennis Jansen",
    )
    print(
        f"3. into {quality.count(db):,} signals: signals add of one signal {shown(one)} (mhtool db info, the "
        f"start-up every command pays: {shown(startup)})   [target under 0.5 s at 1,000,000]"
    )
    more = head(source, 1_000, folder / "more.csv", skip=base)
    print(
        f"   import of 1,000 new signals with dedupe: {shown(timed(db, 'signals', 'import', '--source', 'mma', more))}"
        f"   [target under 10 s]; {load()}"
    )


if __name__ == "__main__":
    main()
