"""Used by cog (`cog -I docs --check README.md docs/*.md`, run in CI) to keep
the example output in README.md and docs/ identical to what mhtool prints.

Each `[[[cog ... ]]]` block calls `show(...)`: the command runs on the demo
database (the bundled examples, imported as examples/demo.py does) and its
output replaces the block's text; `cog --check` fails when the text in the
file differs from what the code prints now."""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from pathlib import Path

import cog  # type: ignore[import-not-found]  # provided by cogapp while it runs
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

_DB: str | None = None


def _run(args: list[str]) -> str:
    from mhtool.cli.root import cli

    os.environ["COLUMNS"] = "80"  # tables as an 80-column terminal shows them
    result = CliRunner().invoke(cli, ["--quiet", "--db", _demo_db(), *args], catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"mhtool {' '.join(args)} failed: {result.output}")
    return result.stdout


def _demo_db() -> str:
    global _DB
    if _DB is None:
        import demo  # examples/demo.py: the same steps as the demo

        folder = tempfile.mkdtemp(prefix="mhtool-docs-")
        _DB = os.path.join(folder, "demo.db")
        for step in demo.steps(_DB) + demo.review_steps():
            if step[0] in {"signals", "ads"} and step[1] in {"import", "review"}:
                _run(step)
        _run(["ads", "score", "--format", "csv", "-o", os.path.join(folder, "score.csv")])
    return _DB


def show(
    command: str, *, table: bool = False, lines: int | None = None, prompt: bool = True, drop: str | None = None
) -> None:
    """Print a fenced block with `$ mhtool COMMAND` and what it prints.

    `table`: run with `--format table` (what a terminal shows) without
    writing that option in the block; `lines`: only the first lines, then
    '...'; `drop`: leave out the lines that start with it (what changes
    every day, such as the date a report was made)."""
    args = shlex.split(command)
    output = _run([*args, "--format", "table"] if table else args)
    text = [line for line in output.rstrip("\n").splitlines() if not (drop and line.startswith(drop))]
    if lines is not None and len(text) > lines:
        text = [*text[:lines], "..."]
    cog.outl("```")
    if prompt:
        cog.outl(f"$ mhtool {command}")
    for line in text:
        cog.outl(line.rstrip())
    cog.outl("```")
