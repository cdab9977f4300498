"""Dependencies point one way: parsing and I/O at the bottom, the store above
them, shared services (imports, queries, periods, the region, phone links)
above that, the areas (signals, ads) above those, figures and exports above
the areas, the reports for the municipalities (built from the figures) above
those, and the command line on top.

Every `import` in mhtool/ counts, including those inside functions."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mhtool"

LAYERS = [
    (
        "foundation",
        [
            "mhtool",
            "mhtool.errors",
            "mhtool.text",
            "mhtool.stamps",
            "mhtool.pausepoints",
            "mhtool.parse",
            "mhtool.io",
            "mhtool.data",
        ],
    ),
    ("store", ["mhtool.store"]),
    ("services", ["mhtool.imports", "mhtool.query", "mhtool.periods", "mhtool.region", "mhtool.phonelinks"]),
    ("areas", ["mhtool.signals", "mhtool.ads", "mhtool.cases"]),
    ("figures and exports", ["mhtool.stats", "mhtool.export"]),
    ("reports", ["mhtool.report"]),
    ("cli", ["mhtool.cli"]),
]

# Packages in these layers are peers: signals and ads know nothing of each
# other (their phone links live in mhtool.phonelinks), nor do stats and export.
PEERS = {3, 4}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_cli(module: str) -> bool:
    return (
        module == "mhtool.cli"
        or module.startswith("mhtool.cli.")
        or module.endswith((".cli", "_cli"))
        or ".cli." in module
    )


def layer(module: str) -> int:
    if is_cli(module) or module == "mhtool.__main__":
        return len(LAYERS) - 1
    best, found = -1, None
    for number, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), number
    assert found is not None, f"{module} is in no layer; add it to LAYERS"
    return found


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("mhtool"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mhtool"):
            assert node.level == 0, f"{path}: relative import"
            if node.module == "mhtool":  # `from mhtool import __version__` or a module
                names.update(
                    f"mhtool.{a.name}"
                    if (PACKAGE / a.name).exists() or (PACKAGE / f"{a.name}.py").exists()
                    else "mhtool"
                    for a in node.names
                )
            else:
                names.add(node.module)
    return names


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        for target in sorted(imported(path)):
            if layer(target) > layer(module):
                found.append(f"{module} ({LAYERS[layer(module)][0]}) imports {target} ({LAYERS[layer(target)][0]})")
            elif layer(target) == layer(module) in PEERS and target.split(".")[1] != module.split(".")[1]:
                found.append(f"{module} imports {target}, a peer in its layer")
    return found


def test_dependencies_point_one_way():
    assert violations() == []


def test_the_check_sees_a_violation(tmp_path, monkeypatch):
    # The check itself must be able to fail: a store module importing an area.
    fake = tmp_path / "mhtool"
    (fake / "store").mkdir(parents=True)
    (fake / "store" / "bad.py").write_text("def f():\n    from mhtool.ads.scoring import score\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert violations() == ["mhtool.store.bad (store) imports mhtool.ads.scoring (areas)"]
