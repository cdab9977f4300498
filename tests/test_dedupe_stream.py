"""A full `signals dedupe` streams blocks (signals/dedupe/stream.py): chunk
by chunk, through a bounded cache of profiles, it finds and scores exactly
the pairs a run over every profile at once finds, so the situations, links
and evidence are the same, whatever the chunk and cache size; the
director's decisions still win."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from processes import run

from mhtool.signals.dedupe import blocking, blockreader, stream
from mhtool.signals.dedupe.keys import key_hash
from mhtool.signals.dedupe.matchkeys import blocking_keys
from mhtool.signals.dedupe.run import dedupe_all, in_memory_verdicts, load_profiles
from mhtool.store.db import open_db

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("dedupe_quality", ROOT / "benchmarks" / "dedupe_quality.py")
quality = importlib.util.module_from_spec(_spec)
sys.modules["dedupe_quality"] = quality
_spec.loader.exec_module(quality)


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    """2,500 generated signals in the bundled region (dense: names, streets and
    near phones recur, blocks overlap), imported without dedupe."""
    folder = tmp_path_factory.mktemp("stream")
    data = quality.generate(folder, 2500, 5, 7, 0.2)
    db = folder / "mh.db"
    mma, watch, extra = data.files
    for source, path in (("mma", mma), ("watch", watch), ("mma", extra)):
        code, _, err = run(db, "signals", "import", "--source", source, "--no-dedupe", path)
        assert code == 0, err
    return db


def situations(db) -> tuple:
    conn = db.conn
    return (
        conn.execute("SELECT id, situation_id FROM signals ORDER BY id").fetchall(),
        conn.execute("SELECT a, b, score, evidence FROM signal_matches ORDER BY a, b").fetchall(),
    )


@pytest.mark.parametrize("chunk,cache", [(1, 1), (7, 3), (300, 50), (stream.CHUNK, stream.CACHE)])
def test_streamed_pairs_are_those_of_every_profile_at_once(stored, chunk, cache):
    db = open_db(stored)
    try:
        expected, _ = in_memory_verdicts(db.conn)
        assert len(expected) > 500, "the generated set should hold many linked pairs"
        assert stream.streamed_verdicts(db.conn, chunk, cache) == expected
    finally:
        db.conn.close()


def test_a_chunk_whose_blocks_are_too_large_is_halved(stored, monkeypatch):
    calls = []
    real = stream._chunk_verdicts

    def counted(cache, blocks, chunk, *args):
        calls.append(len(chunk))
        return real(cache, blocks, chunk, *args)

    monkeypatch.setattr(stream, "_chunk_verdicts", counted)
    monkeypatch.setattr(stream, "MEMBERS", 20)
    db = open_db(stored)
    try:
        expected, _ = in_memory_verdicts(db.conn)
        assert stream.streamed_verdicts(db.conn, 500, 100) == expected
    finally:
        db.conn.close()
    assert calls[:3] == [500, 250, 125]  # halved, and halved again


def test_a_bounded_cache_reads_profiles_again_and_keeps_to_its_size(stored, monkeypatch):
    db = open_db(stored)
    caches = []

    class Counted(stream.ProfileCache):
        def __init__(self, conn, size):
            super().__init__(conn, size)
            caches.append(self)

        def get(self, ids):
            found = super().get(ids)
            assert len(self.kept) <= self.size
            return found

    monkeypatch.setattr(stream, "ProfileCache", Counted)
    try:
        stream.streamed_verdicts(db.conn, 100, 10)
        signals = db.conn.execute("SELECT count(*) FROM signals").fetchone()[0]
        assert caches[0].reads > signals  # members of a block met again are read again
    finally:
        db.conn.close()


real_chunks = stream.chunks


def test_streamed_full_run_is_the_old_full_run_with_decisions(stored, tmp_path, monkeypatch):
    """Two copies of one database, the same decisions: a full run streamed
    with chunks and cache of 1, and one holding every profile, write the same."""
    copies = []
    for name in ("streamed", "in-memory"):
        copy = tmp_path / f"{name}.db"
        copy.write_bytes(stored.read_bytes())
        copy.chmod(0o600)
        copies.append(copy)
    # the director's decisions on a linked pair and on a pair in two situations
    db = open_db(copies[0])
    dedupe_all(db)
    (a, b), *_ = db.conn.execute("SELECT a, b FROM signal_matches ORDER BY score DESC, a").fetchall()
    x, y = db.conn.execute("SELECT min(id), max(id) FROM signals").fetchone()
    db.conn.close()
    for copy in copies:
        assert run(copy, "signals", "unlink", str(a), str(b))[0] == 0
        assert run(copy, "signals", "link", str(x), str(y))[0] == 0
    monkeypatch.setattr(stream, "CHUNK", 1)
    monkeypatch.setattr(stream, "CACHE", 1)
    sizes = []
    monkeypatch.setattr(stream, "chunks", lambda conn, size, last: sizes.append(size) or real_chunks(conn, size, last))
    outcomes = []
    for copy, streamed in zip(copies, (True, False)):
        db = open_db(copy)
        try:
            result = dedupe_all(db, streamed=streamed)
            outcomes.append((result.changes, result.links_added, result.links_removed, situations(db)))
        finally:
            db.conn.close()
    assert sizes == [1]  # the streamed run did stream, one signal at a time
    assert outcomes[0] == outcomes[1]
    ids, matches = outcomes[0][3]
    situation = dict(ids)
    assert situation[a] != situation[b] and situation[x] == situation[y]
    assert (a, b) not in {(m[0], m[1]) for m in matches}


@pytest.mark.parametrize("chunk,cache,held", [(1, 1, 1), (7, 3, 20), (300, 50, None)])
def test_of_a_large_block_only_the_date_neighbours_are_read_with_the_same_pairs(
    stored, chunk, cache, held, monkeypatch
):
    """A block larger than MAX_BLOCK pairs only WINDOW neighbours in date
    order: a chunk reads only the members near its own signals
    (blockreader.py), and pairs them by the block's whole order, kept
    between chunks up to HELD ids."""
    monkeypatch.setattr(blocking, "MAX_BLOCK", 3)
    monkeypatch.setattr(blocking, "WINDOW", 1)
    if held:
        monkeypatch.setattr(blockreader, "HELD", held)
    db = open_db(stored)
    try:
        conn = db.conn
        large = conn.execute(
            "SELECT hash, count(*) AS n FROM signal_keys GROUP BY hash HAVING n > 3 AND n <= ? ORDER BY n DESC",
            (blocking.MAX_KEY,),
        ).fetchall()
        assert len(large) > 100, "the generated set should hold many blocks larger than MAX_BLOCK"
        expected, _ = in_memory_verdicts(conn)
        assert stream.streamed_verdicts(conn, chunk, cache) == expected
        # one signal of the largest block: only its neighbours are read, not the block
        (biggest, size), *_ = large
        ids = [i for (i,) in conn.execute("SELECT signal_id FROM signal_keys WHERE hash = ?", (biggest,))]
        profiles, _ = load_profiles(conn, ids=ids[:1])
        key = next(k.lstrip("?") for k in blocking_keys(profiles[ids[0]]) if key_hash(k.lstrip("?")) == biggest)
        reader = blockreader.BlockReader(conn, max(ids))
        members, _, orders = reader.read({ids[0]: {key}})
        order, places = orders[key]
        assert len(members) <= 5 < size and ids[0] in members
        assert sorted(order) == sorted(ids) and [order[p] for p in places] == [ids[0]]
        days = [reader.days[i] for i in order]
        assert days == sorted(days)
        if held:
            assert reader.size <= max(held, size)
    finally:
        db.conn.close()
