"""Random small sets of signals that crowd a few addresses, names and
places (some without a municipality), imported in random order in a few
steps with MAX_BLOCK and WINDOW made tiny: the dedupe after each import
gives what one full run gives (the cases of tests/test_dedupe_shifted.py,
mixed; 60 random sets in three settings passed when this was written)."""

from __future__ import annotations

import random

import pytest
from test_dedupe_shifted import CRIME, LABOUR, OTHER, SAME, SEX, dedupe, imported, signal

PLACES = ["Hilversum", "Hilversum", "Bussum", "Huizen", ""]
STREETS = ["Kerkstraat 1", "Kerkstraat 1", "Dorpsstraat 4", ""]
PERSONS = ["Piet Bakker", "P. Bakker", "Klaas Smit", "Henk Mulder", "", ""]
TEXTS = [SAME, SAME, OTHER, "Drugsrunners in de straat", "Meisjes worden 's nachts opgehaald"]
KINDS = [SEX, SEX, LABOUR, CRIME, ""]


def rows(rng: random.Random, count: int) -> list[list[str]]:
    return [
        signal(
            f"R{n}",
            f"{rng.randint(1, 28):02d}-{rng.choice([5, 6]):02d}-2026",
            rng.choice(KINDS),
            rng.choice(PLACES),
            rng.choice(TEXTS),
            rng.choice(PERSONS),
            address=rng.choice(STREETS),
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(
    "max_block,window,max_key,count", [(3, 1, 12, 40), (4, 2, 20, 60)], ids=["block3-key12", "block4-key20"]
)
def test_random_imports_give_the_full_run(tmp_path, monkeypatch, seed, max_block, window, max_key, count):
    from mhtool.signals.dedupe import blocking

    monkeypatch.setattr(blocking, "MAX_BLOCK", max_block)
    monkeypatch.setattr(blocking, "WINDOW", window)
    monkeypatch.setattr(blocking, "MAX_KEY", max_key)
    signals = rows(random.Random(seed), count)
    steps, full = tmp_path / "steps", tmp_path / "full"
    steps.mkdir()
    full.mkdir()
    imported(steps / "mh.db", signals[:16], "first")
    dedupe(steps / "mh.db", None)
    for k, start in enumerate(range(16, count, 6)):
        incremental = dedupe(steps / "mh.db", imported(steps / "mh.db", signals[start : start + 6], f"step{k}"))
    imported(full / "mh.db", signals, "all")
    reference = dedupe(full / "mh.db", None)
    assert reference[1], "some signals link"
    only_here = [group for group in incremental[0] if group not in reference[0]]
    only_there = [group for group in reference[0] if group not in incremental[0]]
    assert (only_here, set(incremental[1]) ^ set(reference[1])) == ([], set()), f"full run: {only_there}"
