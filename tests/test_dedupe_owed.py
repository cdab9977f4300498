"""Never inflated, never misreported: an import interrupted (Ctrl-C) or killed
(SIGKILL) at each phase either kept nothing, or kept its signals with their
dedupe recorded as owed in the database; the message says which, and the
next command that counts or changes signals completes the dedupe with a
one-line notice, so that the figures equal those of an uninterrupted run.

Real processes stopped at named pause points (mhtool/pausepoints.py): no
sleeps, no timing."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from processes import Mhtool, run, scalar
from signalfiles import PAIRS, write_pairs


def state(db: Path) -> tuple:
    import sqlite3

    conn = sqlite3.connect(str(db))
    try:
        return (
            conn.execute(
                "SELECT ref, (SELECT ref FROM signals t WHERE t.id = s.situation_id) FROM signals s ORDER BY ref"
            ).fetchall(),
            conn.execute("SELECT count(*), sum(signal_count) FROM situations").fetchone(),
            conn.execute("SELECT count(*) FROM signal_matches").fetchone(),
        )
    finally:
        conn.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, tuple, str]:
    """The data, and what an uninterrupted import of it leaves and counts."""
    root = tmp_path_factory.mktemp("reference")
    data = write_pairs(root / "pairs.csv")
    db = root / "reference.db"
    code, _, err = run(db, "signals", "import", "--source", "mma", data)
    assert code == 0, err
    code, stats, err = run(db, "stats", "--by", "gemeente", "--format", "csv")
    assert code == 0, err
    assert "notice" not in err
    return data, state(db), stats


def interrupt(db: Path, args: list, pause: str, how: str) -> tuple[int, str]:
    command = Mhtool(db, *args, pause_at=pause)
    command.wait_reached()
    if how == "kill":
        command.kill()
        return -9, ""
    os.kill(command.pid, signal.SIGINT)
    code, _, err = command.finish()
    return code, err


PHASES = [
    ("import-locked", False),  # reading and storing: nothing committed yet
    ("import-before-commit", False),
    ("import-committed", True),  # the signals committed, their dedupe not begun
    ("dedupe-before-commit", True),  # the dedupe written, not committed
]


@pytest.mark.parametrize("how", ["ctrl-c", "kill"])
@pytest.mark.parametrize("pause,kept", PHASES, ids=[p for p, _ in PHASES])
def test_interrupted_import_is_never_counted_undeduplicated(reference, tmp_path, pause, kept, how):
    data, expected, expected_stats = reference
    db = tmp_path / "mh.db"
    code, err = interrupt(db, ["signals", "import", "--source", "mma", data], pause, how)
    stored = scalar(db, "SELECT count(*) FROM signals")
    assert stored == (2 * PAIRS if kept else 0)
    if how == "ctrl-c":
        assert code == 130
        assert len(err.strip().splitlines()) == 1, err
        if kept:
            assert (
                f"the import was saved ({2 * PAIRS} new signals, 0 already present), but linking the "
                f"{2 * PAIRS} new signals to duplicates was not finished" in err
            )
        else:
            assert "Interrupted; nothing from the unfinished command was saved." in err
    if kept:
        # the database itself says what is owed, whatever the process could still print
        assert scalar(db, "SELECT sum(last_id - first_id + 1) FROM dedupe_owed") == 2 * PAIRS
        code, stats, err = run(db, "stats", "--by", "gemeente", "--format", "csv")
        assert code == 0, err
        notices = [line for line in err.splitlines() if line.startswith("notice:")]
        assert len(notices) == 1, err
        assert f"notice: {2 * PAIRS} signals stored by an earlier command had not been linked" in notices[0]
        assert stats == expected_stats
        assert state(db) == expected
        assert scalar(db, "SELECT count(*) FROM dedupe_owed") == 0
        # said once: the next command has nothing left to do
        assert "notice" not in run(db, "stats", "--by", "gemeente")[2]
    else:
        assert scalar(db, "SELECT count(*) FROM imports") == 0
        code, _, err = run(db, "signals", "import", "--source", "mma", data)
        assert code == 0, err
        assert state(db) == expected


@pytest.mark.parametrize(
    "command",
    [
        ["signals", "dupes", "--format", "csv"],
        ["report", "quarterly", "2026Q3"],
        ["signals", "import", "--source", "mma"],
    ],
    ids=["dupes", "report", "next-import"],
)
def test_every_counting_or_writing_command_completes_an_owed_dedupe(reference, tmp_path, command):
    data, expected, _ = reference
    db = tmp_path / "mh.db"
    interrupt(db, ["signals", "import", "--source", "mma", data], "import-committed", "kill")
    args = list(command)
    if args[-1] == "mma":  # a second import: its own dedupe takes the owed signals along
        args.append(write_pairs(tmp_path / "more.csv", 3, start=PAIRS))
    if args[0] == "report":
        args += ["-o", tmp_path / "rapportage.xlsx"]
    code, out, err = run(db, *args)
    assert code == 0, err
    if args[0] == "signals" and args[1] == "import":
        assert f"also linked {2 * PAIRS} signals an earlier command had left undone" in out
        clean = tmp_path / "clean.db"
        for path in (data, args[-1]):
            assert run(clean, "signals", "import", "--source", "mma", path)[0] == 0
        assert state(db) == state(clean)
    else:
        assert f"notice: {2 * PAIRS} signals stored by an earlier command" in err
        assert state(db) == expected
    assert scalar(db, "SELECT count(*) FROM dedupe_owed") == 0


def test_no_dedupe_postpones_and_signals_dedupe_settles(reference, tmp_path):
    data, expected, _ = reference
    db = tmp_path / "mh.db"
    assert run(db, "signals", "import", "--source", "mma", "--no-dedupe", data)[0] == 0
    assert scalar(db, "SELECT sum(last_id - first_id + 1) FROM dedupe_owed") == 2 * PAIRS
    code, out, err = run(db, "signals", "dedupe")
    assert code == 0, err
    assert "notice" not in err
    assert state(db) == expected
    assert scalar(db, "SELECT count(*) FROM dedupe_owed") == 0


@pytest.mark.parametrize("how", ["ctrl-c", "kill"])
def test_interrupted_add_says_it_was_saved(reference, tmp_path, how):
    data, _, _ = reference
    db = tmp_path / "mh.db"
    assert run(db, "signals", "import", "--source", "mma", data)[0] == 0
    args = [
        "signals",
        "add",
        "--ref",
        "ADD-1",
        "--date",
        "05-07-2026",
        "--place",
        "Hilversum",
        "--text",
        "Weer bezoek",
        "--phones",
        "06-30000000",
    ]
    code, err = interrupt(db, args, "dedupe-before-commit", how)
    assert scalar(db, "SELECT count(*) FROM signals WHERE ref = 'ADD-1'") == 1
    if how == "ctrl-c":
        assert code == 130
        assert "Interrupted; signal manual:ADD-1 was saved, but linking it to duplicates was not finished" in err
    assert scalar(db, "SELECT situation_id = id FROM signals WHERE ref = 'ADD-1'") == 1
    code, _, err = run(db, "signals", "list", "--format", "csv")
    assert code == 0, err
    assert "notice: 1 signals stored by an earlier command" in err
    assert scalar(db, "SELECT situation_id = id FROM signals WHERE ref = 'ADD-1'") == 0


def test_an_interrupted_completion_keeps_it_owed(reference, tmp_path):
    data, expected, _ = reference
    db = tmp_path / "mh.db"
    interrupt(db, ["signals", "import", "--source", "mma", data], "import-committed", "kill")
    code, err = interrupt(db, ["stats", "--by", "gemeente"], "dedupe-before-commit", "ctrl-c")
    assert code == 130
    assert f"Interrupted; nothing was changed; {2 * PAIRS} signals still wait to be linked" in err
    assert scalar(db, "SELECT sum(last_id - first_id + 1) FROM dedupe_owed") == 2 * PAIRS
    assert run(db, "stats", "--by", "gemeente")[0] == 0
    assert state(db) == expected


def audit(db: Path) -> list[tuple[str, str, dict]]:
    import json
    import sqlite3

    conn = sqlite3.connect(str(db))
    try:
        return [
            (c, s, json.loads(n)) for c, s, n in conn.execute("SELECT command, status, counts FROM audit ORDER BY id")
        ]
    finally:
        conn.close()


def test_an_owed_dedupe_a_read_command_completes_is_in_the_audit(reference, tmp_path):
    _, expected, _ = reference
    db = tmp_path / "mh.db"
    interrupt(db, ["signals", "import", "--source", "mma", write_pairs(tmp_path / "p.csv")], "import-committed", "kill")
    before = audit(db)
    assert [c for c, _, _ in before] == []  # killed: the import never wrote its own line
    assert run(db, "stats", "--by", "gemeente")[0] == 0
    assert state(db) == expected
    (command, status, counts), *rest = audit(db)
    assert rest == []  # stats itself writes nothing
    assert (command, status) == ("signals dedupe (owed, before stats)", "ok")
    # the counts of the dedupe of an uninterrupted import
    (situations, _), (links,) = expected[1], expected[2]
    assert links > 0
    assert counts == {"signal_matches": links, "situations": situations - 2 * PAIRS}
    # a writing command's own line counts only its own work
    assert (
        run(db, "signals", "import", "--source", "mma", "--no-dedupe", write_pairs(tmp_path / "m.csv", 2, 900))[0] == 0
    )
    assert run(db, "signals", "unlink", "DUP-0-A", "DUP-0-B")[0] == 0
    lines = audit(db)[1:]
    assert [(c, s) for c, s, _ in lines] == [
        ("signals import", "ok"),
        ("signals dedupe (owed, before signals unlink)", "ok"),
        ("signals unlink", "ok"),
    ]
    assert set(lines[1][2]) == {"signal_matches", "situations"}  # the two new pairs, linked
    assert lines[1][2]["signal_matches"] >= 2 and lines[1][2]["situations"] <= -2
    assert lines[2][2] == {"signal_decisions": 1, "signal_matches": -1, "situations": 1}


def test_an_interrupted_completion_is_in_the_audit_as_failed(reference, tmp_path):
    data, _, _ = reference
    db = tmp_path / "mh.db"
    interrupt(db, ["signals", "import", "--source", "mma", data], "import-committed", "kill")
    interrupt(db, ["signals", "dupes"], "dedupe-before-commit", "ctrl-c")
    assert [(c, s, n) for c, s, n in audit(db)] == [("signals dedupe (owed, before signals dupes)", "failed", {})]
