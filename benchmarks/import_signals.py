"""Benchmark `mhtool signals import` against `sqlite-utils insert`.

Generates N rows in the Meld Misdaad Anoniem layout, imports them with
mhtool into a fresh database, and inserts the same CSV with sqlite-utils as
the reference. Prints rows/s and peak memory: of the largest process (max
RSS) and, on Linux, of the whole process tree (the main process and its
parsing workers, summed proportional set size, sampled every 0.1 s).

    python benchmarks/import_signals.py             # 100,000 rows
    python benchmarks/import_signals.py --rows 1000000
    python benchmarks/import_signals.py --compare-with ../before/.venv/bin/mhtool --repeat 3

Targets (issue 2): at least 20,000 rows/s, and under 200 MB peak memory at
1,000,000 rows. The import is measured without the dedupe that follows it by
default (`--no-dedupe`); benchmarks/dedupe_quality.py measures that.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PLACES = [
    "Hilversum",
    "Bussum",
    "Naarden",
    "Huizen",
    "Laren",
    "Blaricum",
    "Eemnes",
    "Loosdrecht",
    "Kortenhoef",
    "'s-Graveland",
    "Muiden",
    "Ankeveen",
    "Amersfoort",
    "",
]
CATEGORIES = [
    "Mensenhandel - seksuele uitbuiting",
    "Arbeidsuitbuiting",
    "Criminele uitbuiting",
    "Mensenhandel",
    "",
    "Gedwongen huwelijk",
]
TEXTS = [
    "Melder ziet 's avonds steeds andere mannen bij een woning; vermoedt prostitutie.",
    "Arbeidsmigranten wonen met twaalf personen in een schuur bij een kas.",
    "Jongen van 16 wordt ingezet als drugsrunner, krijgt schulden opgelegd.",
    "Vrouw werkt in een nagelstudio zonder loon, paspoort ingenomen door werkgever.",
    "Loverboy haalt meisje op bij school en brengt haar naar hotels.",
]
HEADERS = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Adres",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
]


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        for n in range(rows):
            day = rng.randint(1, 28)
            month = rng.randint(1, 12)
            year = rng.choice([2024, 2025, 2026 if month < 11 else 2025])
            phone = "" if rng.random() < 0.4 else f"06-{rng.randint(10000000, 99999999)}"
            writer.writerow(
                [
                    f"M-{n:08d}",
                    f"{day:02d}-{month:02d}-{year}",
                    rng.choice(CATEGORIES),
                    rng.choice(PLACES),
                    f"Dorpsstraat {rng.randint(1, 200)}",
                    rng.choice(TEXTS),
                    phone,
                    rng.choice(["", "Jan Jansen", "A. de Vries", "Mohammed B."]),
                ]
            )


def _tree(pid: int) -> list[int]:
    """pid and its descendants (Linux /proc); [pid] where that is not readable."""
    found, i = [pid], 0
    while i < len(found):
        for task in Path(f"/proc/{found[i]}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                found += [int(child) for child in task.read_text().split()]
        i += 1
    return found


def _pss(pid: int) -> int:
    """Proportional set size in bytes: pages shared by the worker processes
    with the main process (forked) are counted once, not once per process."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run(command: list[str]) -> tuple[float, float, float | None, float]:
    """Seconds, peak memory of the largest process (max RSS, MB), peak
    memory of the whole process tree (summed PSS sampled every 0.1 s, MB;
    None where /proc cannot tell) and CPU seconds (user + system, the
    command and the workers it waited for) of one command."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        # As installed: pip compiles the bytecode; without it (PYTHONDONTWRITEBYTECODE
        # in some shells) every start compiles some 300 modules again, about 0.2 s.
        env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        # The memory is sampled by a thread, so that the time is taken the moment
        # the command ends (a loop that polls every 0.1 s added up to 0.1 s).
        tree_peak, ended = [0], threading.Event()

        def sample() -> None:
            while not ended.is_set():
                tree_peak[0] = max(tree_peak[0], sum(_pss(p) for p in _tree(process.pid)))
                ended.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        ended.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            stderr.seek(0)
            message = stderr.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"command failed ({process.returncode}): {' '.join(command)}\n{message}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024, (tree_peak[0] / 2**20 if tree_peak[0] else None), cpu


def _memory(peak: float, tree: float | None) -> str:
    return f"peak {peak:6.1f} MB" + (f", all processes {tree:6.1f} MB" if tree else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--compare-with",
        metavar="MHTOOL",
        help="another mhtool executable (e.g. an install of "
        "the previous commit) to run on the same file, alternating with this one",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each mhtool (the median is printed)")
    args = parser.parse_args()

    bin_dir = Path(sys.executable).parent
    mhtool = shutil.which("mhtool", path=str(bin_dir)) or shutil.which("mhtool")
    sqlite_utils = shutil.which("sqlite-utils", path=str(bin_dir)) or shutil.which("sqlite-utils")
    if not mhtool:
        raise SystemExit("mhtool is not installed in this environment (pip install .)")

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / "mma.csv"
        generate(source, args.rows)
        size_mb = source.stat().st_size / 1e6
        print(f"input: {args.rows:,} rows, {size_mb:.1f} MB")

        contenders = {"mhtool": mhtool, **({"compared": args.compare_with} if args.compare_with else {})}
        runs: dict[str, list] = {name: [] for name in contenders}
        for number in range(args.repeat):
            for name, executable in contenders.items():
                db = tmp_path / f"{name}-{number}.db"
                runs[name].append(
                    run(
                        [
                            executable,
                            "--quiet",
                            "--db",
                            str(db),
                            "signals",
                            "import",
                            "--source",
                            "mma",
                            "--no-dedupe",
                            str(source),
                        ]
                    )
                )
        for name, results in runs.items():
            seconds, peak, tree, cpu = (statistics.median(r[i] or 0 for r in results) for i in range(4))
            label = "mhtool signals import:" if name == "mhtool" else f"compared ({args.compare_with}):"
            print(
                f"{label} {seconds:6.2f} s  {args.rows / seconds:10,.0f} rows/s  cpu {cpu:6.2f} s  "
                f"{_memory(peak, tree)}   (target >= 20,000 rows/s, < 200 MB at 1M rows)"
            )

        if sqlite_utils:
            seconds_ref, peak_ref, tree_ref, cpu_ref = run(
                [sqlite_utils, "insert", str(tmp_path / "ref.db"), "signals", str(source), "--csv", "--delimiter", ";"]
            )
            print(
                f"sqlite-utils insert:   {seconds_ref:6.2f} s  {args.rows / seconds_ref:10,.0f} rows/s  "
                f"cpu {cpu_ref:6.2f} s  {_memory(peak_ref, tree_ref)}"
            )
        else:
            print("sqlite-utils CLI not found; reference skipped")


if __name__ == "__main__":
    main()
