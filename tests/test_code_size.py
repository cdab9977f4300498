"""Small modules with one job: no module over 400 lines, and no function over
60 lines unless a `# Long: why` comment stands right above it (above its
def, or between its decorators and its def)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mhtool"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _has_reason(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    first = min([d.lineno for d in node.decorator_list] + [node.lineno])
    # The comment lines just above the first decorator, and any line between
    # the decorators and the def (decorators may span several lines).
    index = first - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        if lines[index].lstrip().startswith("# Long:"):
            return True
        index -= 1
    return any(line.lstrip().startswith("# Long:") for line in lines[first - 1 : node.lineno])


def long_functions_without_reason() -> list[str]:
    found = []
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES and not _has_reason(lines, node):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_module_is_over_400_lines():
    too_long = [
        f"{path.relative_to(PACKAGE.parent)} ({count} lines)"
        for path in _modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert too_long == []


def test_every_function_over_60_lines_says_why():
    assert long_functions_without_reason() == []


def test_the_check_sees_a_long_function_and_its_reason(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(70))
    bare = ast.parse(f"def f():\n{body}\n").body[0]
    assert isinstance(bare, ast.FunctionDef)
    assert not _has_reason(["def f():"], bare)
    source = f"# Long: a table of seventy values.\n@decorator\ndef f():\n{body}\n"
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert _has_reason(source.splitlines(), node)
