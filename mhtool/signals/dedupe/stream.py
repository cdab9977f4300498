"""A full dedupe that streams blocks instead of holding every profile.

The signals are taken in chunks of at most `CHUNK` signals, in the order of
municipality, date and id, so that the signals of a block (a municipality's
addresses, names and near phones; a situation's phone) mostly fall in one
chunk; those without a known municipality first, so that a later chunk
needs no one-sided key (an address or name without the municipality:
blocking.py). For each chunk the stored blocking keys (`signal_keys`, keys.py) give
the other members of its blocks, of a large block only the date-neighbours
of the chunk's signals (blockreader.py); only their profiles are read,
through a cache of at most `CACHE` profiles, and `candidate_pairs` pairs
the chunk's signals with them exactly as with every profile. A pair belongs to the
first chunk that holds one of its two signals and is scored there only, so
every candidate pair is scored once, as in a run over every profile at once.
Only the linked pairs (the edges) are kept; clustering them (clusters.py)
needs no profile.

So the result is that of `candidate_pairs` and `score_pairs` over every
profile at once (run.py `in_memory_verdicts`, and tests/test_dedupe_stream.py
holds the two together); memory is bounded by the chunk, the cache and the
edges, not by the number of signals.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Iterator

from mhtool.region.municipalities import UNKNOWN
from mhtool.signals.dedupe.blocking import ONE_SIDED, Pair, candidate_pairs
from mhtool.signals.dedupe.blockreader import BlockReader
from mhtool.signals.dedupe.evidence import Verdict
from mhtool.signals.dedupe.matchkeys import SEEKS, Profile, blocking_keys
from mhtool.signals.dedupe.phases import advance, muted, phase
from mhtool.signals.dedupe.scoring import score_pairs

CHUNK = 4096  # signals whose pairs are found and scored together
CACHE = 32768  # profiles kept between chunks (a block's members recur in the next chunks)
# A chunk whose blocks hold more other signals than this is halved, and each
# half done in turn (signals without a municipality meet whole provinces).
MEMBERS = 16384


class ProfileCache:
    """At most `size` profiles, with their blocking keys, the least recently used dropped first."""

    def __init__(self, conn, size: int):
        self.conn, self.size = conn, max(1, size)
        self.kept: OrderedDict[int, tuple[Profile, list[str]]] = OrderedDict()
        self.reads = 0  # profiles read from the database (for benchmarks and tests)

    def get(self, ids: set[int]) -> dict[int, tuple[Profile, list[str]]]:
        from mhtool.signals.dedupe.run import load_profiles

        found, kept = {}, self.kept
        for i in ids:
            entry = kept.get(i)
            if entry is not None:
                kept.move_to_end(i)
                found[i] = entry
        missing = ids - found.keys()
        if missing:
            loaded, _ = load_profiles(self.conn, ids=missing)
            self.reads += len(loaded)
            for i, p in loaded.items():
                found[i] = kept[i] = (p, blocking_keys(p))
            while len(kept) > self.size:
                kept.popitem(last=False)
        return found


def chunks(conn, size: int, last: int) -> Iterator[array]:
    """Signal ids up to `last`, `size` at a time: first those whose
    municipality is not known, then by municipality, date and id."""
    chunk = array("q")
    for (i,) in conn.execute(
        "SELECT id FROM signals WHERE id <= ? ORDER BY gemeente != ?, gemeente, reported_on, id", (last, UNKNOWN)
    ):
        chunk.append(i)
        if len(chunk) >= size:
            yield chunk
            chunk = array("q")
    if chunk:
        yield chunk


def streamed_verdicts(conn, chunk_size: int | None = None, cache_size: int | None = None) -> dict[Pair, Verdict]:
    """The verdicts of every linked candidate pair in the database, chunk by
    chunk (`CHUNK` and `CACHE` unless given)."""
    chunk_size, cache_size = chunk_size or CHUNK, cache_size or CACHE
    phase("linking: reading identifiers", None)
    total = conn.execute("SELECT count(*) FROM signals").fetchone()[0]
    order = conn.execute("SELECT max(id) FROM signals").fetchone()[0] or 0
    # chunk number of each signal id, 4 bytes a signal; 0: not reached yet
    chunk_of = array("i", bytes(4 * (order + 1)))
    cache = ProfileCache(conn, cache_size)
    blocks = BlockReader(conn, order)
    verdicts: dict[Pair, Verdict] = {}
    phase("linking: finding and comparing candidate pairs, block by block", total)
    numbers = iter(range(1, order + 2))
    for chunk in chunks(conn, chunk_size, order):
        with muted():
            _chunk_verdicts(cache, blocks, list(chunk), chunk_of, numbers, verdicts)
        advance(len(chunk))
    return verdicts


def _chunk_verdicts(
    cache: ProfileCache,
    blocks: BlockReader,
    chunk: list[int],
    chunk_of: array,
    numbers: Iterator[int],
    verdicts: dict[Pair, Verdict],
) -> None:
    """Add the verdicts of the pairs of `chunk` (those with no signal of an
    earlier chunk); halved while its blocks hold more than `MEMBERS` others."""
    own = cache.get(set(chunk))
    # A one-sided key pairs only a signal that seeks on it (its municipality
    # is not known) with the others; those came first (`chunks`), and their
    # pairs were scored in their chunk: without one, its other members are not needed.
    seeks = any(key[0] == SEEKS for _, signal_keys in own.values() for key in signal_keys)
    members, passed_over, orders = blocks.read(
        {
            i: {key.lstrip(SEEKS) for key in signal_keys if seeks or not key.startswith(ONE_SIDED)}
            for i, (_, signal_keys) in own.items()
        }
    )
    if len(members) - len(chunk) > MEMBERS and len(chunk) > 1:
        half = len(chunk) // 2
        _chunk_verdicts(cache, blocks, chunk[:half], chunk_of, numbers, verdicts)
        _chunk_verdicts(cache, blocks, chunk[half:], chunk_of, numbers, verdicts)
        return
    number = next(numbers)
    for i in chunk:
        chunk_of[i] = number
    touching = set(chunk)
    entries = {**cache.get(members - own.keys()), **own}
    profiles = {i: p for i, (p, _) in entries.items()}
    pairs = candidate_pairs(profiles.values(), touching, None, passed_over, lambda p: entries[p.id][1], orders)
    # A pair with a signal of an earlier chunk was scored there.
    mine = {
        (a, b): strong for (a, b), strong in pairs.items() if chunk_of[a] in (0, number) and chunk_of[b] in (0, number)
    }
    verdicts.update(score_pairs(profiles, mine))
