"""Blocking keys stored at import (signals/dedupe/keys.py): kept in step
with the signals (import, add, purge, restore of an older database), and an
incremental dedupe after N imports, reading only the blocks its new signals
touch, gives what one full `signals dedupe` gives; decisions still win."""

from __future__ import annotations

import csv
import importlib.util
import sqlite3
import sys
from pathlib import Path

import pytest
from processes import run, scalar

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("dedupe_quality", ROOT / "benchmarks" / "dedupe_quality.py")
quality = importlib.util.module_from_spec(_spec)
sys.modules["dedupe_quality"] = quality  # its dataclasses look their module up
_spec.loader.exec_module(quality)


def outcome(db: Path) -> tuple:
    conn = sqlite3.connect(str(db))
    try:
        # by reference: the ids depend on the order of import
        refs = dict(conn.execute("SELECT id, source || ':' || ref FROM signals"))
        groups: dict[int, set[str]] = {}
        for i, s in conn.execute("SELECT id, situation_id FROM signals"):
            groups.setdefault(s, set()).add(refs[i])
        matches = sorted(
            (*sorted((refs[a], refs[b])), round(score, 6))
            for a, b, score in conn.execute("SELECT a, b, score FROM signal_matches")
        )
        return sorted(sorted(g) for g in groups.values()), matches
    finally:
        conn.close()


def split(path: Path, parts: int, folder: Path) -> list[Path]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    out = []
    for k in range(parts):
        target = folder / f"{path.stem}-{k}.csv"
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows[k::parts])
        out.append(target)
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("generated")
    # the bundled region only: dense, so names, streets and near phones recur
    return folder, quality.generate(folder, 2500, 3, 7, 0.2)


@pytest.mark.parametrize("parts", [1, 6])
def test_incremental_after_n_imports_is_one_full_run(generated, tmp_path, parts):
    folder, data = generated
    mma, watch, extra = data.files
    step_by_step = tmp_path / "steps.db"
    files = [
        (source, chunk)
        for source, path in (("mma", mma), ("watch", watch), ("mma", extra))
        for chunk in split(path, parts, tmp_path)
    ]
    for source, chunk in files:
        code, _, err = run(step_by_step, "signals", "import", "--source", source, chunk)
        assert code == 0, err
    full = tmp_path / "full.db"
    for source, path in (("mma", mma), ("watch", watch), ("mma", extra)):
        assert run(full, "signals", "import", "--source", source, "--no-dedupe", path)[0] == 0
    code, out, err = run(full, "signals", "dedupe")
    assert code == 0, err
    incremental, reference = outcome(step_by_step), outcome(full)
    assert len(reference[1]) > 300, "the generated set should hold many duplicates"
    assert incremental == reference
    # and a full run over the incremental result changes nothing
    code, out, _ = run(step_by_step, "signals", "dedupe", "--dry-run")
    assert "0 moved to another situation" in out


def test_keys_follow_the_signals(generated, tmp_path):
    _, data = generated
    db = tmp_path / "mh.db"
    mma = data.files[0]
    assert run(db, "signals", "import", "--source", "mma", mma)[0] == 0
    signals = scalar(db, "SELECT count(*) FROM signals")
    assert scalar(db, "SELECT count(DISTINCT signal_id) FROM signal_keys") > signals * 0.9
    assert scalar(db, "SELECT count(*) FROM signal_keys WHERE signal_id NOT IN (SELECT id FROM signals)") == 0
    assert (
        run(
            db,
            "signals",
            "add",
            "--text",
            "Gemeld",
            "--place",
            "Huizen",
            "--phones",
            "06-12345678",
            "--persons",
            "Dennis Jansen",
        )[0]
        == 0
    )
    added = scalar(db, "SELECT max(id) FROM signals")
    assert scalar(db, "SELECT count(*) FROM signal_keys WHERE signal_id = ?", (added,)) >= 8
    # purged with their signals
    code, _, err = run(db, "db", "purge", "--older-than", "1y", "--yes")
    assert code == 0, err
    assert scalar(db, "SELECT count(*) FROM signals") < signals
    assert scalar(db, "SELECT count(*) FROM signal_keys WHERE signal_id NOT IN (SELECT id FROM signals)") == 0


def test_an_older_database_gets_its_keys(generated, tmp_path):
    """The migration marks the keys of the signals already stored as owed
    (the store cannot compute them); the next dedupe fills them, as if they
    had been imported with the table there."""
    _, data = generated
    db, fresh = tmp_path / "old.db", tmp_path / "fresh.db"
    for target in (db, fresh):
        assert run(target, "signals", "import", "--source", "mma", data.files[0])[0] == 0
    conn = sqlite3.connect(str(db))
    conn.executescript(
        "DROP TABLE signal_keys; DROP TABLE backfills; DELETE FROM _sqlite_migrations WHERE name = 'm009_signal_keys';"
    )
    conn.close()
    assert run(db, "db", "info")[0] == 0
    assert scalar(db, "SELECT name FROM backfills") == "signal_keys"
    for target in (db, fresh):
        assert run(target, "signals", "import", "--source", "watch", data.files[1])[0] == 0
    assert scalar(db, "SELECT count(*) FROM backfills") == 0
    keys = "SELECT group_concat(signal_id || ':' || hash) FROM (SELECT * FROM signal_keys ORDER BY signal_id, hash)"
    assert scalar(db, keys) == scalar(fresh, keys)
    assert scalar(
        db, "SELECT group_concat(situation_id) FROM (SELECT situation_id FROM signals ORDER BY id)"
    ) == scalar(fresh, "SELECT group_concat(situation_id) FROM (SELECT situation_id FROM signals ORDER BY id)")


def test_decisions_win_over_new_imports(generated, tmp_path):
    folder, data = generated
    mma, watch, extra = data.files
    db = tmp_path / "mh.db"
    for source, path in (("mma", mma), ("watch", watch)):
        assert run(db, "signals", "import", "--source", source, path)[0] == 0
    a, b = sqlite3.connect(str(db)).execute("SELECT a, b FROM signal_matches ORDER BY score DESC").fetchone()
    assert run(db, "signals", "unlink", a, b)[0] == 0
    assert run(db, "signals", "import", "--source", "mma", extra)[0] == 0
    assert scalar(db, "SELECT count(DISTINCT situation_id) FROM signals WHERE id IN (?, ?)", (a, b)) == 2
