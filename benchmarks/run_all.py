"""Run every benchmark and print one table: figure, value, target.

    python benchmarks/run_all.py            # the sizes the targets are set for
    python benchmarks/run_all.py --quick    # small sizes, to check the scripts run

Each benchmark is its own script (run it alone for its full output); this
one runs them as subprocesses and reads the figures from what they print.
"""

from __future__ import annotations

import argparse
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Figure:
    name: str
    pattern: str  # regex with one group: the value
    target: str  # as written in the issue
    good: str  # '>=N' or '<=N': how the value meets the target
    largest: bool = False  # the largest of all matches instead of the first


@dataclass
class Benchmark:
    script: str
    args: list[str]
    quick_args: list[str]
    figures: list[Figure]


BENCHMARKS = [
    Benchmark(
        "hostile_memory.py",
        [],
        ["--quick"],
        [
            Figure("hostile inputs: worst peak memory (MB)", r"worst attack: peak ([\d.]+) MB", "< 300 MB", "<=300"),
            Figure(
                "hostile inputs: slowest refusal (s)",
                r"worst attack: peak [\d.]+ MB .*?, ([\d.]+) s",
                "within seconds",
                "<=30",
            ),
        ],
    ),
    Benchmark(
        "import_signals.py",
        ["--rows", "1000000"],
        ["--rows", "20000"],
        [
            Figure(
                "signals import: rows/s", r"mhtool signals import:.*?([\d,]+) rows/s", ">= 20,000 rows/s", ">=20000"
            ),
            Figure(
                "signals import: peak memory (MB)",
                r"mhtool signals import:.*?peak\s+([\d.]+) MB",
                "< 200 MB at 1M rows",
                "<=200",
            ),
            Figure(
                "signals import: peak memory, all processes (MB)",
                r"mhtool signals import:.*?all processes\s+([\d.]+) MB",
                "< 200 MB at 1M rows",
                "<=200",
            ),
            Figure(
                "sqlite-utils insert (reference): rows/s", r"sqlite-utils insert:.*?([\d,]+) rows/s", "reference", ""
            ),
        ],
    ),
    Benchmark(
        "dedupe_quality.py",
        [],
        ["--signals", "5000"],
        [
            Figure(
                "dedupe: seconds for 100,000 signals",
                r"signals dedupe over [\d,]+ signals: ([\d.]+) s",
                "< 30 s",
                "<=30",
            ),
            Figure(
                "dedupe: pairwise F1, all same-situation pairs",
                r"against all same-situation pairs:.*?F1 ([\d.]+)",
                ">= 0.95",
                ">=0.95",
            ),
            Figure(
                "dedupe: pairwise F1, pairs sharing an identifier",
                r"against pairs connected by an identifier:.*?F1 ([\d.]+)",
                "",
                "",
            ),
        ],
    ),
    Benchmark(
        "stats.py",
        [],
        ["--signals", "20000"],
        [
            Figure(
                "stats on 1M signals: slowest command, in process (s)",
                r"^\s*([\d.]+) s\s+[\d.]+ s\s+mhtool",
                "< 1 s",
                "<=1",
                largest=True,
            ),
            Figure(
                "stats on 1M signals: slowest command, new process (s)",
                r"^\s*[\d.]+ s\s+([\d.]+) s\s+mhtool",
                "",
                "",
                largest=True,
            ),
        ],
    ),
]


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _meets(value: float, good: str) -> str:
    if not good:
        return ""
    limit = float(good[2:])
    return "yes" if (value >= limit if good.startswith(">=") else value <= limit) else "NO"


def run(benchmark: Benchmark, quick: bool) -> list[tuple[str, str, str, str]]:
    script = HERE / benchmark.script
    if not script.exists():
        return [(benchmark.script, "missing", "", "")]
    args = benchmark.quick_args if quick else benchmark.args
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        return [(benchmark.script, f"failed (exit {completed.returncode})", "", "")]
    rows = []
    for figure in benchmark.figures:
        found = re.findall(figure.pattern, output, re.IGNORECASE | re.MULTILINE)
        if not found:
            rows.append((figure.name, "not printed", figure.target, ""))
            continue
        value = max(map(_number, found)) if figure.largest else _number(found[0])
        rows.append((figure.name, f"{value:,.3f}".rstrip("0").rstrip("."), figure.target, _meets(value, figure.good)))
    rows.append((f"({benchmark.script} ran {seconds:.0f} s)", "", "", ""))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: checks that every benchmark runs")
    args = parser.parse_args()
    from tabulate import tabulate

    rows = []
    for benchmark in BENCHMARKS:
        print(f"running {benchmark.script} ...", file=sys.stderr, flush=True)
        rows.extend(run(benchmark, args.quick))
    print(
        f"machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {__import__('os').cpu_count()} cores"
        + (" (quick sizes: targets do not apply)" if args.quick else "")
    )
    print(tabulate(rows, headers=["figure", "value", "target", "met"], tablefmt="github"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
