"""The main job on the bundled example data, start to finish.

    python examples/demo.py            # uses ./demo.db (made afresh)
    python examples/demo.py --db x.db

Runs the same `mhtool` commands the chain director runs, printing each one
before its output, so the demo doubles as a walk-through.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent


def steps(db: str) -> list[list[str]]:
    ex = EXAMPLES
    return [
        ["signals", "import", "--source", "mma", str(ex / "mma_export_2026Q3.csv")],
        ["signals", "import", "--source", "watch", str(ex / "watch_export_2026Q3.xlsx")],
        ["signals", "import", "--source", "veiligthuis", "--profile", str(ex / "profile_veilig_thuis.toml"),
         str(ex / "veilig_thuis_export.csv")],
        # Importing the same file again adds nothing.
        ["signals", "import", "--source", "mma", str(ex / "mma_export_2026Q3.csv")],
        ["signals", "list", "--gemeente", "Gooise Meren", "--format", "table"],
        ["signals", "list", "--type", "labour", "--format", "csv"],
        ["region", "show", "--format", "table"],
        ["db", "info", "--format", "table"],
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="demo.db", help="database file for the demo (replaced)")
    args = parser.parse_args()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    env = {**os.environ, "COLUMNS": os.environ.get("COLUMNS", "160")}
    for step in steps(args.db):
        command = [sys.executable, "-m", "mhtool", "--db", args.db, *step]
        print(f"\n$ mhtool {' '.join(shlex.quote(part) for part in step)}", flush=True)
        completed = subprocess.run(command, env=env)
        if completed.returncode != 0:
            print(f"demo: step failed with exit code {completed.returncode}", file=sys.stderr)
            return completed.returncode
    print(f"\nDemo database: {args.db}  (try: mhtool --db {args.db} signals show 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
