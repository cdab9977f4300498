"""After an import the dedupe reads, of a block larger than MAX_BLOCK, only
the date neighbours of the new signals (blockreader.py through nearby.py
pairs_of_new), not every member, and the situations it groups again pair
their signals only where a full run would (nearby.py pairs_within); so it
still gives what one full run gives:
here with MAX_BLOCK and WINDOW made tiny, so that most blocks are large
and the windows, the one-sided keys and the `unsure` seekers near the new
signals all come into play."""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import sys
from pathlib import Path

import pytest
from processes import run
from test_dedupe_incremental import outcome

from mhtool.signals.dedupe import blocking, blockreader
from mhtool.signals.dedupe.run import dedupe_all, dedupe_new
from mhtool.store.db import open_db

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("dedupe_quality", ROOT / "benchmarks" / "dedupe_quality.py")
quality = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("dedupe_quality", quality)
_spec.loader.exec_module(quality)


def parts(path: Path, folder: Path, first: float, steps: int) -> list[Path]:
    """The rows of `path` in a first part of `first` of them, then `steps` small ones."""
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    cut = int(len(rows) * first)
    step = (len(rows) - cut) // steps + 1
    out = []
    for k, chunk in enumerate([rows[:cut], *(rows[i : i + step] for i in range(cut, len(rows), step))]):
        target = folder / f"part-{k}.csv"
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(chunk)
        out.append(target)
    return out


def stored_import(db: Path, path: Path) -> list[int]:
    """Import without dedupe (in its own process); the ids it added."""
    code, _, err = run(db, "signals", "import", "--source", "mma", "--no-dedupe", path)
    assert code == 0, err
    opened = open_db(db)
    try:
        (last,) = opened.conn.execute("SELECT max(id) FROM imports").fetchone() or (None,)
        return [i for (i,) in opened.conn.execute("SELECT id FROM signals WHERE import_id = ?", (last,))]
    finally:
        opened.conn.close()


def deduped(db: Path, new: list[int] | None) -> None:
    opened = open_db(db)
    try:
        dedupe_all(opened) if new is None else dedupe_new(opened, new)
    finally:
        opened.conn.close()


@pytest.mark.parametrize("max_block,window", [(3, 1), (6, 2)])
def test_windowed_blocks_after_imports_give_the_full_run(tmp_path, monkeypatch, max_block, window):
    data = quality.generate(tmp_path, 1500, 7, 7, 0.2)
    mma = data.files[0]
    monkeypatch.setattr(blocking, "MAX_BLOCK", max_block)
    monkeypatch.setattr(blocking, "WINDOW", window)
    read: list[int] = []
    real_read = blockreader.BlockReader.read

    def counted(self, keys_of, among=False):
        found = real_read(self, keys_of, among)
        read.append(len(found[0]))
        return found

    monkeypatch.setattr(blockreader.BlockReader, "read", counted)
    steps = tmp_path / "steps.db"
    files = parts(mma, tmp_path, 0.6, 8)
    stored_import(steps, files[0])
    deduped(steps, None)
    for path in files[1:]:
        new = stored_import(steps, path)
        assert 0 < len(new) * 4 < 1500, "small imports: the incremental path, not a streamed full run"
        deduped(steps, new)
    full = tmp_path / "full.db"
    stored_import(full, mma)
    deduped(full, None)
    incremental, reference = outcome(steps), outcome(full)
    assert len(reference[1]) > 100, "the generated set should hold many duplicates"
    assert incremental == reference
    assert read, "the incremental dedupe reads its blocks through the BlockReader"


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("window")
    data = quality.generate(folder, 1500, 11, 7, 0.2)
    db = folder / "mh.db"
    for source, path in zip(("mma", "watch", "mma"), data.files):
        assert run(db, "signals", "import", "--source", source, "--no-dedupe", path)[0] == 0
    return db


@pytest.fixture(params=[(3, 1), (5, 2)], ids=["block3-window1", "block5-window2"])
def small_blocks(request, monkeypatch) -> None:
    """MAX_BLOCK and WINDOW made tiny: most blocks are large."""
    monkeypatch.setattr(blocking, "MAX_BLOCK", request.param[0])
    monkeypatch.setattr(blocking, "WINDOW", request.param[1])


@contextlib.contextmanager
def every_profile(db: Path):
    """The open connection, and the profile of every signal."""
    from mhtool.signals.dedupe.run import load_profiles

    opened = open_db(db)
    try:
        yield opened.conn, load_profiles(opened.conn)[0]
    finally:
        opened.conn.close()


def test_the_pairs_within_a_scope_are_those_of_a_full_run(stored, small_blocks):
    """Grouping some situations again (after an import, a link or unlink)
    pairs two of their signals only where a full run would: not every two
    that share a key, when the whole block is larger than MAX_BLOCK."""
    from mhtool.signals.dedupe.blocking import candidate_pairs
    from mhtool.signals.dedupe.nearby import pairs_within
    from mhtool.signals.dedupe.run import load_profiles

    with every_profile(stored) as (conn, every):
        whole = candidate_pairs(every.values())
        seekers = {i for i, p in every.items() if not p.known_gemeente}
        assert seekers, "some signals do not know their municipality"
        alone_differs = False
        for scope in ({i for i in every if i % 7 == 0}, {i for i in every if i % 3 == 0} | seekers):
            expected = {pair: strong for pair, strong in whole.items() if set(pair) <= scope}
            profiles, _ = load_profiles(conn, ids=scope)
            assert pairs_within(conn, profiles, scope) == expected
            alone_differs |= candidate_pairs(profiles[i] for i in scope) != expected
        assert alone_differs, "the scope's profiles alone would pair otherwise"


def test_the_pairs_of_new_signals_are_those_of_their_whole_blocks(stored, small_blocks):
    """Reading only the date neighbours of the new signals (and of most of
    them only the date and municipality) finds exactly the candidate pairs
    that every profile at once gives; the seekers it finds unsure are among
    those."""
    from mhtool.signals.dedupe.blocking import candidate_pairs
    from mhtool.signals.dedupe.nearby import pairs_of_new

    with every_profile(stored) as (conn, every):
        for new in ({i for i in every if i % 37 == 0}, {i for i in every if i % 5 == 1}, {max(every)}):
            whole_unsure: set[int] = set()
            whole = candidate_pairs(every.values(), new, whole_unsure)
            profiles, situation, pairs, unsure = pairs_of_new(conn, set(new))
            assert len(profiles) < len(every) and situation.keys() == profiles.keys()
            # and the pairs of the old seekers they free (shifted.py), as a full run pairs them
            assert {pair: strong for pair, strong in pairs.items() if not new.isdisjoint(pair)} == whole
            freed = {i for pair in pairs.keys() - whole.keys() for i in pair} - new
            whole_freed = candidate_pairs(every.values(), freed)
            assert all(whole_freed.get(pair) == strong for pair, strong in pairs.items() if new.isdisjoint(pair))
            assert unsure <= whole_unsure
            assert {i for pair in pairs for i in pair} <= profiles.keys(), "every signal of a pair read in full"
