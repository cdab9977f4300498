"""Every command, found by walking the click tree (a new command is covered
without editing a list): its help runs, names an example of itself, and
`mhtool --help` stays fast (no heavy module imported at start-up)."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from mhtool.cli.root import cli


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        found.append((*path, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*path, name)))
    return found


COMMANDS = _commands(cli)
LEAVES = [c for c in COMMANDS if not isinstance(cli.get_command(None, c[0]), click.Group) or len(c) > 1]


def test_the_walk_finds_the_commands():
    assert ("signals", "import") in COMMANDS and ("db", "restore") in COMMANDS and ("stats",) in COMMANDS
    assert len(LEAVES) >= 30


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_runs(run_raw, command):
    result = run_raw(*command, "--help")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Usage: ")


@pytest.mark.parametrize("command", LEAVES, ids=" ".join)
def test_every_command_has_an_example_of_itself(run_raw, command):
    result = run_raw(*command, "--help")
    assert "Examples:" in result.stdout
    assert "mhtool " + " ".join(command) in result.stdout


def _last_line_after(argv: list[str], then: str) -> str:
    """Run mhtool with `argv` in a fresh interpreter, then the code `then`;
    the last line it prints."""
    code = (
        f"import sys; from mhtool.cli.root import main; sys.argv = ['mhtool', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n" + then
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_help_imports_no_heavy_module():
    heavy = (
        "heavy = [m for m in ('sqlite_utils', 'openpyxl', 'rich', 'rapidfuzz', 'phonenumbers', 'dateutil',"
        " 'tabulate', 'sklearn', 'docx', 'matplotlib', 'numpy', 'scipy') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))"
    )
    assert _last_line_after(["--help"], heavy) == "HEAVY:"


def test_a_command_on_the_database_does_not_import_numpy(tmp_path):
    """sqlite-utils would import numpy (a third of the start of every
    command); mhtool/store/sqlitelib.py hides it from sqlite-utils, and
    numpy still imports normally afterwards for the commands that use it."""
    then = (
        "loaded = 'numpy' in sys.modules\n"
        "import numpy, sqlite_utils\n"
        "print('NUMPY:', loaded, int(numpy.arange(3).sum()), sqlite_utils.Database(memory=True).table_names())"
    )
    assert _last_line_after(["--db", str(tmp_path / "m.db"), "db", "info"], then) == "NUMPY: False 3 []"
