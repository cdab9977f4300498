"""How long the ad text readers take on texts made to backtrack, against an
ordinary ad text of the same length in the same run.

    python benchmarks/pathological_text.py

A reader with a catastrophic pattern shows as a large ratio (seconds where
the reference takes milliseconds). Target: every ratio under 20, every
text under 1 s.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_ads_extract import PATHOLOGICAL, TEXT_FUNCTIONS  # noqa: E402

ORDINARY = (
    "Hoi schatjes, ik ben Mila (23 jaar), nieuw in Hilversum en 24/7 beschikbaar. "
    "Bel 06-12345678, 150 euro per uur, vergunning HV-2025-001. "
)


def seconds(text: str) -> float:
    started = time.perf_counter()
    for function in TEXT_FUNCTIONS:
        function(text)
    return time.perf_counter() - started


def main() -> None:
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    worst = 0.0
    for text in PATHOLOGICAL:
        reference = seconds((ORDINARY * (len(text) // len(ORDINARY) + 1))[: len(text)])
        took = seconds(text)
        ratio = took / reference if reference else float("inf")
        worst = max(worst, took)
        print(
            f"{text[:24]!r:<28} {len(text):>7,} chars: {took * 1000:8.1f} ms "
            f"(ordinary text: {reference * 1000:6.1f} ms, ratio {ratio:5.1f})"
        )
    print(f"slowest pathological text: {worst:.3f} s")


if __name__ == "__main__":
    main()
