"""Peak memory and time of hostile inputs, each in its own process, against
an ordinary file as reference in the same run (issue 10, item 13).

    python benchmarks/hostile_memory.py            # full-size attacks
    python benchmarks/hostile_memory.py --quick    # small sizes, to check the script runs

Every attack must fail with one line, within seconds, under 300 MB peak.
Peak memory is `ru_maxrss` of the command's process tree (the largest
process), measured by a fresh parent per case, so cases do not mix.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import hostile_files as hostile  # noqa: E402

TIMEOUT = 300
TARGET_MB = 300

# A fresh parent per case: RUSAGE_CHILDREN's maxrss is the largest child it ever waited for.
_MEASURE = r"""
import json, resource, subprocess, sys, time
# A safety net for the machine, far above the target: an unbounded reader is stopped here.
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
started = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=float(sys.argv[1]))
    code, err = done.returncode, done.stderr
except subprocess.TimeoutExpired as exc:
    code, err = "timeout", (exc.stderr or b"").decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
took = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
lines = [line for line in err.splitlines() if line.strip()]
print(json.dumps({"code": code, "seconds": took, "peak_mb": peak, "lines": len(lines), "last": lines[-1] if lines else ""}))
"""


def measure(command: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(TIMEOUT), *command], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def cases(folder: Path, quick: bool) -> list[tuple[str, list[str]]]:
    big = 20_000_000 if quick else 1_500_000_000
    mhtool = [sys.executable, "-m", "mhtool", "--db", str(folder / "bench.db")]
    # The reader is measured, not dedupe (its own benchmark: dedupe_quality.py).
    signals = [*mhtool, "signals", "import", "--no-dedupe", "--source", "mma"]
    zero = "/dev/zero"
    files = {
        "normal CSV, 100,000 rows (reference)": hostile.normal_csv(folder / "normal.csv", 10_000 if quick else 100_000),
        "xlsx: one shared string of 1.5 G chars": hostile.xlsx_shared_string_bomb(folder / "sst.xlsx", big),
        "xlsx: one inline string of 1.5 G chars": hostile.xlsx_inline_string_bomb(folder / "inline.xlsx", big),
        "xlsx: a row of 10 M cells": hostile.xlsx_wide_row(folder / "wide.xlsx", 100_000 if quick else 10_000_000),
        "xlsx: 20 M unknown elements": hostile.xlsx_loose_elements(
            folder / "loose.xlsx", 200_000 if quick else 20_000_000
        ),
        "xlsx: an attribute of 1 G chars": hostile.xlsx_huge_attribute(folder / "attr.xlsx", big),
        "xlsx: styles.xml of 1 GB": hostile.xlsx_styles_bomb(folder / "styles.xlsx", big),
        "xlsx: 5 M bad rows": hostile.xlsx_bad_rows(folder / "badrows.xlsx", 50_000 if quick else 5_000_000),
        "xlsx: 5 M empty rows": hostile.xlsx_many_rows(folder / "rows.xlsx", 1_100_000 if quick else 5_000_000),
        "CSV: one line of 250 M cells": hostile.csv_long_line(folder / "line.csv", 3_000_000 if quick else 250_000_000),
        "CSV: 5 M bad rows": hostile.csv_bad_rows(folder / "bad.csv", 50_000 if quick else 5_000_000),
        "JSON: 200 MB": hostile.json_big(folder / "big.json", 40_000_000 if quick else 200_000_000),
    }
    normal = str(files["normal CSV, 100,000 rows (reference)"])
    runs = [(label, [*signals, str(path)]) for label, path in files.items()]
    runs += [
        ("profile /dev/zero", [*signals, "--profile", zero, normal]),
        ("keywords /dev/zero", [*signals, "--keywords", zero, normal]),
        ("rules /dev/zero", [*mhtool, "ads", "score", "--rules", zero]),
        ("region /dev/zero", [*mhtool, "region", "load", zero]),
    ]
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    worst_peak = worst_time = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, command in cases(folder, args.quick):
            (folder / "bench.db").unlink(missing_ok=True)
            result = measure(command)
            reference = label.endswith("(reference)")
            if not reference:
                worst_peak = max(worst_peak, result["peak_mb"])
                worst_time = max(worst_time, result["seconds"])
            print(
                f"{label:40} exit {result['code']!s:7} {result['seconds']:7.1f} s  peak {result['peak_mb']:7.1f} MB"
                f"  stderr lines {result['lines']}: {result['last'][-110:]}"
            )
    print(f"worst attack: peak {worst_peak:.1f} MB (target < {TARGET_MB} MB), {worst_time:.1f} s")


if __name__ == "__main__":
    main()
