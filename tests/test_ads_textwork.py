"""The text work of `ads score` (shingles and phrase finds) gives the same
result in a second process as in this one (mhtool/ads/textwork.py)."""

from __future__ import annotations

import csv
import os
import random
import signal
import time
from pathlib import Path

from processes import BOUND, Mhtool

from mhtool.ads.rules import load_rules
from mhtool.ads.textwork import MIN_ROWS, text_work

HEADER = ["Site", "Advertentie ID", "Datum", "Tekst", "Naam", "Leeftijd", "Telefoon", "Plaats", "Prijs"]
PIECES = [
    "Hoi schat, ik ben nieuw in de stad en ontvang je graag",
    "zij is lief en ze komt ook bij je thuis",
    "24/7 bereikbaar, bel voor haar",
    "alles kan, geen taboes, BB mogelijk",
    "Roemeense dame, spreekt alleen engels",
    "rustige kamer, discreet parkeren, koffie staat klaar",
    "net 18 en studentje, pas aangekomen",
    "bel nul zes een twee drie vier vijf zes zeven acht",
    "Mijn eigen verhaal: ik hou van wandelen langs de Vecht en koken voor vrienden",
]
NAMES = ["Mila", "Sara", "Lisa", "Eva", "Nina", "Anna", "Roos", "Lena"]
PLACES = ["Hilversum", "Huizen", "Bussum", "Blaricum", "Laren", "Weesp"]


def _ads(n: int, seed: int = 3) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        text = ". ".join(rng.sample(PIECES, rng.randint(1, 4)))
        if i % 7 == 0:  # small groups of three ads sharing their own wording under other names
            words = random.Random(i // 21)
            text = " ".join(
                "".join(words.choice("bdklmnprstv") + words.choice("aeiou") for _ in range(3)) for _ in range(14)
            )
        rows.append(
            [
                "test.example",
                f"T{i:05d}",
                "17-11-2026",
                text,
                rng.choice(NAMES),
                str(rng.randint(19, 40)),
                f"06-{12000000 + rng.randrange(3000):08d}",
                rng.choice(PLACES),
                str(rng.choice([60, 100, 150])),
            ]
        )
    return rows


def _rows(n: int) -> list[dict]:
    return [{"ad": i, "title": "Nieuw hier!" if i % 5 == 0 else None, "text": ad[3]} for i, ad in enumerate(_ads(n))]


def _work(rows, monkeypatch, workers: str):
    monkeypatch.setenv("MHTOOL_SCORE_WORKERS", workers)
    with text_work(rows, load_rules()) as work:
        shingles = {ad: sorted(values.tolist()) for ad, values in work.shingles().items()}  # numpy arrays
        return shingles, work.text_finds()


def test_the_second_process_finds_what_this_one_finds(monkeypatch):
    rows = _rows(MIN_ROWS + 100)
    here = _work(rows, monkeypatch, "1")
    there = _work(rows, monkeypatch, "2")
    assert there == here
    shingles, phrases = here
    assert len(shingles) == len(rows) and 0 < len(phrases) < len(rows)
    assert phrases[0]["movement"] == "nieuw hier"  # the title counts
    found = {code for finds in phrases.values() for code, phrase in finds.items() if phrase}
    assert {
        "third_person",
        "always_available",
        "unsafe_services",
        "language_origin",
        "under_21",
        "obscured_phone",
    } <= found


def _large_week(run_raw, tmp_path) -> Path:
    db, path = tmp_path / "ads.db", tmp_path / "week.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(_ads(MIN_ROWS + 50))
    assert run_raw("--db", db, "ads", "import", path).exit_code == 0
    return db


SCORE = ("ads", "score", "--week", "2026-W47", "--no-store", "--format", "csv")


def test_scoring_a_large_week_is_the_same_with_one_process_or_two(run_raw, tmp_path, monkeypatch):
    db = _large_week(run_raw, tmp_path)
    outputs = []
    for workers in ("1", "2"):
        monkeypatch.setenv("MHTOOL_SCORE_WORKERS", workers)
        result = run_raw("--db", db, *SCORE)
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    lines = outputs[0].splitlines()
    assert len(lines) == MIN_ROWS + 51
    assert "shared_text" in outputs[0] and "third_person" in outputs[0] and "obscured_phone" in outputs[0]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # a zombie (dead, not yet reaped by its parent) counts as gone
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].startswith("Z")


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + BOUND
    while not _gone(pid):
        assert time.monotonic() < deadline, f"process {pid} still there"
        time.sleep(0.01)


def test_a_second_process_that_dies_leaves_the_work_to_the_first(run_raw, tmp_path, monkeypatch):
    db = _large_week(run_raw, tmp_path)
    monkeypatch.setenv("MHTOOL_SCORE_WORKERS", "1")
    expected = run_raw("--db", db, *SCORE).stdout
    monkeypatch.setenv("MHTOOL_SCORE_WORKERS", "2")
    scoring = Mhtool(db, *SCORE, pause_at="ads-score-second-process")
    scoring.wait_reached()
    second = int((tmp_path / "ads-score-second-process.reached").read_text())
    assert second != scoring.pid
    os.kill(second, signal.SIGKILL)
    code, out, err = scoring.finish()
    assert code == 0, err
    assert out == expected


def test_the_second_process_does_not_outlive_a_killed_first(run_raw, tmp_path, monkeypatch):
    db = _large_week(run_raw, tmp_path)
    monkeypatch.setenv("MHTOOL_SCORE_WORKERS", "2")
    scoring = Mhtool(db, *SCORE, pause_at="ads-score-second-process")
    scoring.wait_reached()
    second = int((tmp_path / "ads-score-second-process.reached").read_text())
    scoring.process.kill()
    scoring.process.wait()
    _wait_gone(second)
