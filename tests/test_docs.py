"""The commands in README.md and docs/ exist as written.

Example output is kept identical to what the code prints by cog (see
docs/cog_helpers.py; `.ci/run` runs `cog --check`). This test covers the
rest: every `mhtool ...` line in a code block names a real command and only
options that command (or a group above it) has, and every import in a
Python block resolves."""

import ast
import importlib
import re
import shlex
from pathlib import Path

import click
import pytest

from mhtool.cli.root import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(language: str):
    for path in DOCS:
        for found in FENCE.finditer(path.read_text(encoding="utf-8")):
            if (found.group(1) == "python") == (language == "python"):
                yield path, found.group(2)


def command_lines():
    for path, text in blocks("shell"):
        for line in text.splitlines():
            line = line.removeprefix("$ ").strip()
            if line.startswith("mhtool "):
                yield path.name, line


def options_of(command: click.Command) -> set[str]:
    return {name for param in command.params for name in (*param.opts, *param.secondary_opts)}


def check(line: str) -> None:
    words = shlex.split(line.split(" #")[0], posix=True)[1:]
    command: click.Command = cli
    known = options_of(cli) | {"--help", "-h"}
    rest = iter(words)
    for word in rest:
        if word.startswith("-"):
            option = word.split("=", 1)[0]
            assert option in known, f"{line!r}: {command.name} has no option {option}"
        elif isinstance(command, click.Group):
            sub = command.get_command(click.Context(command), word)
            assert sub is not None, f"{line!r}: {command.name} has no command {word!r}"
            command = sub
            known |= options_of(command)


LINES = sorted(set(command_lines()))


def test_the_docs_have_commands_to_check():
    assert len(LINES) > 40


@pytest.mark.parametrize(("doc", "line"), LINES, ids=[f"{d}: {line[:60]}" for d, line in LINES])
def test_every_documented_command_exists(doc, line):
    check(line)


def test_a_wrong_command_is_caught():
    with pytest.raises(AssertionError):
        check("mhtool signals lijst")
    with pytest.raises(AssertionError):
        check("mhtool stats --by gemeente --no-such-option")


def test_python_examples_import_what_exists():
    for path, text in blocks("python"):
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mhtool"):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    assert hasattr(module, alias.name), f"{path.name}: {node.module} has no {alias.name}"
