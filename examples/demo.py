"""The main job on the bundled example data, start to finish.

    python examples/demo.py            # uses ./demo.db (made afresh)
    python examples/demo.py --db x.db

Runs the same `mhtool` commands the chain director runs, printing each one
before its output, so the demo doubles as a walk-through.
"""

from __future__ import annotations

import argparse
import csv
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
        # The weekly job: three weeks of ad exports from two sites, then the score of the latest week.
        ["ads", "import", *map(str, sorted((ex / "ads").glob("ads_*_2026-W4[67].*")))],
        ["ads", "import", *map(str, sorted((ex / "ads").glob("ads_*_2026-W48.*")))],
        ["ads", "score", "--format", "table"],
        ["ads", "score", "--risky-only", "--format", "csv", "-o", str(Path(db).with_suffix(".risky.csv"))],
        ["ads", "show", "sexjobs-midden.example:SJ-205123"],
        ["db", "info", "--format", "table"],
    ]


def review_steps() -> list[list[str]]:
    """The director's own labels (examples/ads/labels.csv), then how well the rules agree."""
    with open(EXAMPLES / "ads" / "labels.csv", encoding="utf-8", newline="") as handle:
        labels = list(csv.DictReader(handle))
    return [
        ["ads", "review", f"{row['site']}:{row['ad_id']}", "--label", row["label"]] for row in labels
    ] + [["ads", "evaluate", "--format", "table"]]


def figures_steps(db: str) -> list[list[str]]:
    """The quarter's figures: the report for the municipalities, then the municipality count."""
    return [
        ["report", "quarterly", "2026Q3", "-o", str(Path(db).with_suffix(".rapportage-2026Q3.md"))],
        ["stats", "--by", "type", "--period", "2026Q3", "--per", "10000", "--format", "table"],
        ["stats", "--by", "gemeente", "--format", "table"],
    ]


def case_steps(db: str) -> list[list[str]]:
    """Follow-up: a case forwarded, on the Monday list, followed up and closed;
    then Friday's handover of risky ads to a municipality and its feedback."""
    import datetime as dt

    today = dt.date.today()
    later = (today + dt.timedelta(days=14)).strftime("%d-%m-%Y")
    case = "M26-100101"
    return [
        ["cases", "forward", case, "--to", "politie", "--follow-up", today.strftime("%d-%m-%Y"),
         "--note", "besproken met de wijkagent"],
        ["cases", "due", "--format", "table"],
        ["cases", "set", case, "--status", "in behandeling", "--follow-up", later,
         "--note", "politie onderzoekt; over twee weken navragen"],
        ["cases", "close", case, "--reason", "overgedragen aan politie"],
        ["cases", "show", case],
        ["ads", "handover", "--gemeente", "Hilversum", "-o", str(Path(db).with_suffix(".overdracht-hilversum.xlsx"))],
        ["ads", "feedback", "kinky-gooi.example:418231", "--outcome", "gecontroleerd", "--note", "gesprek gevoerd"],
        ["stats", "--by", "status", "--format", "table"],
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="demo.db", help="database file for the demo (replaced)")
    args = parser.parse_args()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    env = {**os.environ, "COLUMNS": os.environ.get("COLUMNS", "160")}
    for step in steps(args.db) + review_steps() + figures_steps(args.db) + case_steps(args.db):
        command = [sys.executable, "-m", "mhtool", "--db", args.db, *step]
        quiet = step[:2] == ["ads", "review"]
        if not quiet:
            print(f"\n$ mhtool {' '.join(shlex.quote(part) for part in step)}", flush=True)
        completed = subprocess.run(command, env=env, stdout=subprocess.DEVNULL if quiet else None)
        if completed.returncode != 0:
            print(f"demo: step failed with exit code {completed.returncode}", file=sys.stderr)
            return completed.returncode
    print(f"\nDemo database: {args.db}  (try: mhtool --db {args.db} signals show 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
