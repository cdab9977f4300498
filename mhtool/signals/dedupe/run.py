"""Group signals about the same situation: `mhtool signals dedupe`.

1. **Profiles.** Every signal's identifiers are read (matchkeys.py): in a
   full run, chunk by chunk with the members of the chunk's blocks found
   through the stored keys (stream.py), never every profile at once; after
   an import, those of the new signals and of the members of their blocks
   (of a block larger than `MAX_BLOCK`, only their date neighbours:
   blockreader.py).
2. **Blocking.** Signals that share a blocking key (phone, plate, link,
   account, whole name; street and house number, half a name, or a phone
   with three digits masked, within a municipality) become candidate pairs;
   never all pairs. A signal without a known municipality also meets the
   same address or half name in another municipality, if it occurs in that
   one only (one-sided keys: signals of two different known municipalities
   never pair on them).
   A block larger than `MAX_BLOCK` is compared only within a window of
   `WINDOW` neighbours in date order, which bounds the cost of a common key;
   one larger than `MAX_KEY` is passed over.
3. **Scoring.** A pair that shares no strong identifier, and cannot get one
   (evidence.could_link: a full name, or a near phone in one municipality
   within a month), cannot be linked and is dropped before the text is
   looked at; the rest get their text
   similarity in batches (rapidfuzz `process.extract`, one query per signal)
   and a verdict with its evidence (evidence.py).
4. **Clustering.** The director's links are joined first, then linked pairs
   from the highest score down (union-find). A join that would put two
   signals the director unlinked into one situation is refused. A cluster
   larger than `MAX_CLUSTER` is clustered again with only its pairs above a
   stricter threshold (`evidence.STRICTER`).
5. **Writing.** A situation's id is its smallest signal id; changed
   `situation_id`s, the links (`signal_matches`, with their evidence) and
   the `situations` rows are written in one transaction.

The result depends only on the data and the decisions, never on the order
of rows or of earlier runs: a full run (`dedupe_all`) always gives the same
situations for the same data. After an import only the new signals, and the
situations they touch, are clustered again (`dedupe_new`).
"""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from mhtool.imports.gcpause import cycle_collector_paused
from mhtool.pausepoints import pause_point
from mhtool.signals.dedupe.blocking import Pair, candidate_pairs
from mhtool.signals.dedupe.clusters import cluster
from mhtool.signals.dedupe.components import groups_owed, store_groups, with_their_groups
from mhtool.signals.dedupe.evidence import Verdict
from mhtool.signals.dedupe.keys import fill_keys_if_owed, keys_owed
from mhtool.signals.dedupe.matchkeys import Profile, frozen, make_profile
from mhtool.signals.dedupe.owed import clear_owed, owed_ids
from mhtool.signals.dedupe.phases import advance, phase
from mhtool.signals.dedupe.scoring import score_pairs
from mhtool.stamps import now_iso
from mhtool.store.casehistory import note_splits
from mhtool.store.db import transaction
from mhtool.store.situations import refresh_situations

PROFILE_SQL = (
    "SELECT id, reported_on, gemeente, type, type_origin, address, persons, vehicle, url, text, situation_id "
    "FROM signals"
)


@dataclass
class Change:
    id: int
    old: int
    new: int


@dataclass
class DedupeResult:
    signals: int = 0  # signals clustered again in this run
    new: int | None = None  # after an import: the new signals
    owed: int = 0  # signals an earlier command left owed (owed.py), done in this run
    linked_ids: set[int] = field(default_factory=set)  # after an import: the signals linked
    situations_before: int = 0  # in the whole database
    situations_after: int = 0
    changes: list[Change] = field(default_factory=list)
    links_added: int = 0
    links_removed: int = 0
    refused: list[Pair] = field(default_factory=list)  # links not followed: the director unlinked
    dry_run: bool = False
    groups_owed: bool = False  # the split groups are not known yet (components.py): a full run is wanted

    @property
    def situations_changed(self) -> int:
        """Situations that gained, lost or merged away signals."""
        return len({c.old for c in self.changes} | {c.new for c in self.changes})


# --- reading -----------------------------------------------------------------


def load_profiles(
    conn, situations: Iterable[int] | None = None, ids: Iterable[int] | None = None
) -> tuple[dict[int, Profile], dict[int, int]]:
    """The profile and current situation id of every signal (or of every
    signal in these situations, or of these signals)."""
    where, params = "", []
    phones_sql = "SELECT signal_id, e164 FROM signal_phones WHERE valid AND e164 IS NOT NULL"
    if situations is not None:
        where = " WHERE situation_id IN (SELECT value FROM json_each(?))"
        params = [json.dumps(sorted(set(situations)))]
        phones_sql += f" AND signal_id IN (SELECT id FROM signals{where})"
    elif ids is not None:
        where = " WHERE id IN (SELECT value FROM json_each(?))"
        params = [json.dumps(sorted(set(ids)))]
        phones_sql += " AND signal_id IN (SELECT value FROM json_each(?))"
    phase("linking: reading identifiers", None)
    phones: dict[int, set[str]] = defaultdict(set)
    for signal_id, e164 in conn.execute(phones_sql, params):
        phones[signal_id].add(e164)
    cursor = conn.execute(PROFILE_SQL + where, params)
    names = [d[0] for d in cursor.description]
    profiles, situation = {}, {}
    for n, values in enumerate(cursor, 1):
        row = dict(zip(names, values))
        profiles[row["id"]] = make_profile(row, frozen(phones.get(row["id"], set())))
        situation[row["id"]] = row["situation_id"]
        if n % 4096 == 0:
            advance(4096)
    return profiles, situation


def load_decisions(conn) -> tuple[list[Pair], list[Pair]]:
    """The director's (links, unlinks), each pair (a, b) with a < b, sorted."""
    links: list[Pair] = []
    unlinks: list[Pair] = []
    for a, b, decision in conn.execute("SELECT a, b, decision FROM signal_decisions ORDER BY a, b"):
        (links if decision == "link" else unlinks).append((a, b))
    return links, unlinks


# --- blocking and scoring ------------------------------------------------------


# --- running -------------------------------------------------------------------


def dedupe_all(db, *, dry_run: bool = False, streamed: bool = True) -> DedupeResult:
    """Cluster every signal again, from the data and the director's decisions.
    Streamed (stream.py) unless the stored keys are not there yet (a dry
    run on a database whose keys a migration left owed) or `streamed` is False:
    then every profile is held at once, with the same result."""
    conn = db.conn
    with _writing(db, dry_run), cycle_collector_paused():
        if not dry_run:
            fill_keys_if_owed(conn)
        if streamed and not keys_owed(conn):
            from mhtool.signals.dedupe.stream import streamed_verdicts

            verdicts = streamed_verdicts(conn)
            situation = dict(conn.execute("SELECT id, situation_id FROM signals"))
        else:
            verdicts, situation = in_memory_verdicts(conn)
        result = _settle(conn, set(situation), situation, verdicts, dry_run, full=True)
        if not dry_run:
            clear_owed(conn)
        return result


def in_memory_verdicts(conn) -> tuple[dict[Pair, Verdict], dict[int, int]]:
    """Every profile at once: the verdicts of the linked pairs, and each signal's situation."""
    profiles, situation = load_profiles(conn)
    return score_pairs(profiles, candidate_pairs(profiles.values())), situation


def dedupe_new(db, new_ids: Iterable[int], *, dry_run: bool = False) -> DedupeResult:
    """After an import: link the new signals to what they match, and cluster
    again the situations that touches. Signals whose dedupe an earlier
    command left owed (owed.py) are taken along, and no longer owed after."""
    given = set(new_ids)
    with _writing(db, dry_run), cycle_collector_paused():
        if not dry_run:  # keys a migration could not compute (keys.py)
            fill_keys_if_owed(db.conn)
        owed = owed_ids(db.conn)
        result = _link_new(db, given | owed, dry_run)
        result.new = len(given & result.linked_ids)
        result.owed = len(owed - given)
        result.groups_owed = groups_owed(db.conn)
        if not dry_run and owed:
            clear_owed(db.conn, owed | given)
        return result


def _link_new(db, new: set[int], dry_run: bool) -> DedupeResult:
    conn = db.conn
    if len(new) * 4 > conn.execute("SELECT count(*) FROM signals").fetchone()[0] and not keys_owed(conn):
        # The new signals are a large part of the database (the first import):
        # a streamed full run costs less than the blocks they touch, with the
        # same result, and holds no more than a chunk of profiles (stream.py).
        from mhtool.signals.dedupe.stream import streamed_verdicts

        verdicts = streamed_verdicts(conn)
        situation = dict(conn.execute("SELECT id, situation_id FROM signals"))
        result = _settle(conn, set(situation), situation, verdicts, dry_run, full=True)
        result.linked_ids = new & situation.keys()
        return result
    profiles, situation, pairs, unsure = _pairs_of_new(conn, new)
    new &= set(profiles)
    verdicts = score_pairs(profiles, pairs)
    # A signal without a place that a new signal made ambiguous may hold a
    # link a full run would not make: its situation is grouped again too.
    partners = {i for pair in verdicts for i in pair} | unsure
    if partners:
        touched = with_their_groups(conn, {situation[i] for i in new | partners})
        # recluster groups every signal of those situations: all of them are needed
        more, more_situation = load_profiles(conn, situations=touched)
        profiles.update(more)
        situation.update(more_situation)
        result = recluster(conn, profiles, situation, new | partners | more.keys(), dry_run, scored=(pairs, verdicts))
    else:
        count = _situation_count(conn)
        result = DedupeResult(situations_before=count, situations_after=count, dry_run=dry_run)
    result.linked_ids = new
    return result


def _pairs_of_new(conn, new: set[int]) -> tuple[dict[int, Profile], dict[int, int], dict[Pair, bool], set[int]]:
    """The profiles read (of the new signals and those they can pair with),
    their situations, the new signals' candidate pairs and the seekers they
    make unsure: from the blocks they touch (nearby.py), or when the keys are
    not stored yet (keys.py keys_owed, in a dry run) from every signal."""
    if not new:
        return {}, {}, {}, set()
    unsure: set[int] = set()
    if keys_owed(conn):
        profiles, situation = load_profiles(conn)
        return profiles, situation, candidate_pairs(profiles.values(), new & profiles.keys(), unsure), unsure
    from mhtool.signals.dedupe.nearby import pairs_of_new

    return pairs_of_new(conn, new)


def recluster(
    conn,
    profiles,
    situation,
    ids: set[int],
    dry_run: bool,
    scored: tuple[dict[Pair, bool], dict[Pair, Verdict]] | None = None,
) -> DedupeResult:
    """Cluster again the situations of `ids` (every signal in them).
    `scored`: pairs already scored, and the verdicts of those linked."""
    touched = {situation[i] for i in ids}
    scope = {i for i, s in situation.items() if s in touched}
    if keys_owed(conn):  # no stored keys: the given profiles alone (after an import, every signal)
        found = candidate_pairs(profiles.values(), scope)
        pairs = {(a, b): strong for (a, b), strong in found.items() if a in scope and b in scope}
    else:
        from mhtool.signals.dedupe.nearby import pairs_within

        pairs = pairs_within(conn, profiles, scope)
    verdicts: dict[Pair, Verdict] = {}
    if scored:
        done, verdicts = scored[0], dict(scored[1])
        pairs = {pair: strong for pair, strong in pairs.items() if pair not in done}
    verdicts.update(score_pairs(profiles, pairs))
    return _settle(conn, scope, situation, verdicts, dry_run, full=False)


def _writing(db, dry_run: bool):
    return contextlib.nullcontext(db) if dry_run else transaction(db)


def _settle(
    conn, scope: set[int], situation: dict[int, int], verdicts: dict[Pair, Verdict], dry_run: bool, full: bool
) -> DedupeResult:
    phase("grouping into situations", len(scope))
    links, unlinks = load_decisions(conn)
    refused: list[Pair] = []
    groups: dict[int, int] = {}
    assigned = cluster(scope, verdicts, links, unlinks, refused, components=groups)
    total = _situation_count(conn)
    result = DedupeResult(
        signals=len(scope),
        situations_before=total,
        situations_after=total - len({situation[i] for i in scope}) + len(set(assigned.values())),
        changes=[Change(i, situation[i], assigned[i]) for i in sorted(scope) if assigned[i] != situation[i]],
        refused=sorted(refused),
        dry_run=dry_run,
    )
    matches = {pair: v for pair, v in verdicts.items() if assigned[pair[0]] == assigned[pair[1]]}
    before = _stored_pairs(conn, None if full else scope)
    result.links_added = len(matches.keys() - before)
    result.links_removed = len(before - matches.keys())
    if not dry_run:
        phase("grouping: writing", len(result.changes))
        _write(conn, result.changes, matches, before - matches.keys())
        store_groups(conn, {situation[i] for i in scope}, assigned, groups, full)
        pause_point("dedupe-before-commit")
    return result


def _situation_count(conn) -> int:
    # The situations table has one row per situation id in use (situations.py).
    return conn.execute("SELECT count(*) FROM situations").fetchone()[0]


def _stored_pairs(conn, scope: set[int] | None) -> set[Pair]:
    if scope is None:
        return set(conn.execute("SELECT a, b FROM signal_matches"))
    return set(
        conn.execute(
            "SELECT a, b FROM signal_matches WHERE a IN (SELECT value FROM json_each(?))", (json.dumps(sorted(scope)),)
        )
    )


def _write(conn, changes: list[Change], matches: dict[Pair, Verdict], removed: set[Pair]) -> None:
    conn.executemany("UPDATE signals SET situation_id = ? WHERE id = ?", [(c.new, c.id) for c in changes])
    note_splits(conn, [(c.id, c.old, c.new) for c in changes])  # case history: a note on a split-off part
    conn.executemany("DELETE FROM signal_matches WHERE a = ? AND b = ?", sorted(removed))
    # A link keeps the time it was first found; its score and evidence follow the data.
    when = now_iso()
    conn.executemany(
        "INSERT INTO signal_matches (a, b, score, evidence, matched_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (a, b) DO UPDATE SET score = excluded.score, evidence = excluded.evidence",
        [(a, b, v.score, json.dumps(v.as_json(), ensure_ascii=False), when) for (a, b), v in sorted(matches.items())],
    )
    # Always by id: rebuilding the whole table at once is far slower on a large database.
    refresh_situations(conn, {c.old for c in changes} | {c.new for c in changes})
