"""Group signals about the same situation: `mhtool signals dedupe`.

1. **Profiles.** Every signal's identifiers are read once (matchkeys.py).
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
from dataclasses import dataclass, field
from typing import Iterable

from ..db import transaction
from ..importing import cycle_collector_paused, now_iso
from .evidence import MATCH, STRICTER, Verdict, compare, could_link
from .matchkeys import SEEKS, Profile, blocking_keys, frozen, make_profile
from .situations import refresh_situations

MAX_BLOCK = 50
WINDOW = 10
MAX_KEY = 1000
MAX_CLUSTER = 10

PROFILE_SQL = (
    "SELECT id, reported_on, gemeente, type, type_origin, address, persons, vehicle, url, text, situation_id "
    "FROM signals"
)

Pair = tuple[int, int]


@dataclass
class Change:
    id: int
    old: int
    new: int


@dataclass
class DedupeResult:
    signals: int = 0                 # signals clustered again in this run
    new: int | None = None           # after an import: the new signals
    situations_before: int = 0       # in the whole database
    situations_after: int = 0
    changes: list[Change] = field(default_factory=list)
    links_added: int = 0
    links_removed: int = 0
    refused: list[Pair] = field(default_factory=list)   # links not followed: the director unlinked
    dry_run: bool = False

    @property
    def situations_changed(self) -> int:
        """Situations that gained, lost or merged away signals."""
        return len({c.old for c in self.changes} | {c.new for c in self.changes})


# --- reading -----------------------------------------------------------------


def load_profiles(conn, situations: Iterable[int] | None = None) -> tuple[dict[int, Profile], dict[int, int]]:
    """The profile and current situation id of every signal (or of every
    signal in these situations)."""
    where, params = "", []
    phones_sql = "SELECT signal_id, e164 FROM signal_phones WHERE valid AND e164 IS NOT NULL"
    if situations is not None:
        where = " WHERE situation_id IN (SELECT value FROM json_each(?))"
        params = [json.dumps(sorted(set(situations)))]
        phones_sql += f" AND signal_id IN (SELECT id FROM signals{where})"
    phones: dict[int, set[str]] = defaultdict(set)
    for signal_id, e164 in conn.execute(phones_sql, params):
        phones[signal_id].add(e164)
    cursor = conn.execute(PROFILE_SQL + where, params)
    names = [d[0] for d in cursor.description]
    profiles, situation = {}, {}
    for values in cursor:
        row = dict(zip(names, values))
        profiles[row["id"]] = make_profile(row, frozen(phones.get(row["id"], ())))
        situation[row["id"]] = row["situation_id"]
    return profiles, situation


def load_decisions(conn) -> tuple[list[Pair], list[Pair]]:
    """The director's (links, unlinks), each pair (a, b) with a < b, sorted."""
    links, unlinks = [], []
    for a, b, decision in conn.execute("SELECT a, b, decision FROM signal_decisions ORDER BY a, b"):
        (links if decision == "link" else unlinks).append((a, b))
    return links, unlinks


# --- blocking and scoring ------------------------------------------------------


# Keys whose agreement is a strong identifier by itself; a pair found only
# through half a name ("i:", "j:", "I:", "J:") or a phone with masked digits
# ("q:") is strong only if evidence.could_link says so.
_STRONG_KEYS = ("p:", "v:", "u:", "h:", "a:", "A:", "n:")
# One-sided keys: they pair only the signals that seek on them (matchkeys.SEEKS).
_ONE_SIDED = ("A:", "I:", "J:")


def candidate_pairs(profiles: Iterable[Profile], touching: set[int] | None = None,
                    unsure: set[int] | None = None) -> dict[Pair, bool]:
    """Pairs that share a blocking key -> whether that key is a strong one;
    with `touching`, only pairs with a signal in it. A key shared by more
    than `MAX_KEY` signals identifies nothing (a helpline, 'Jan Jansen') and
    is passed over.

    On a one-sided key (an address or half a name without the
    municipality) only a signal that seeks on it (its municipality is not
    known) is paired, with the other signals in its block; unless those are
    in more than one municipality: then which one is meant is a guess, and
    it is paired only with the others that do not know their municipality
    either. `unsure` collects the signals for which that is the case: with
    `touching`, their earlier links may have been made before the guess
    arose, and must be looked at again."""
    profiles = sorted(profiles, key=lambda p: (p.day, p.id))
    wanted = None                     # with `touching`: only the keys of those signals make pairs
    if touching is not None:
        wanted = {key.lstrip(SEEKS) for p in profiles if p.id in touching for key in blocking_keys(p)}
    blocks: dict[str, list[int]] = defaultdict(list)
    seekers: dict[str, set[int]] = defaultdict(set)
    place: dict[int, str] = {}
    for p in profiles:
        place[p.id] = p.gemeente
        for key in blocking_keys(p):
            if key[0] == SEEKS:
                key = key[1:]
                seekers[key].add(p.id)
            if wanted is None or key in wanted:
                blocks[key].append(p.id)
    pairs: dict[Pair, bool] = {}

    def add(a: int, b: int, strong: bool) -> None:
        if touching is None or a in touching or b in touching:
            pair = (a, b) if a < b else (b, a)
            if strong:
                pairs[pair] = True
            else:
                pairs.setdefault(pair, False)

    for key, members in blocks.items():
        if not 2 <= len(members) <= MAX_KEY or (touching is not None and touching.isdisjoint(members)):
            continue
        strong = key.startswith(_STRONG_KEYS)
        reach = len(members) if len(members) <= MAX_BLOCK else WINDOW
        seeking = seekers.get(key)
        if seeking is None:
            if key.startswith(_ONE_SIDED):
                continue                      # nobody seeks on it: nothing to pair
            for i, a in enumerate(members):
                for b in members[i + 1:i + 1 + reach]:
                    add(a, b, strong)
        else:
            for i, a in enumerate(members):
                if a in seeking:
                    others = members[max(0, i - reach):i] + members[i + 1:i + 1 + reach]
                    if len({place[b] for b in others if b not in seeking}) > 1:
                        # the same address or name in two municipalities: a guess
                        others = [b for b in others if b in seeking]
                        if unsure is not None:
                            unsure.add(a)
                    for b in others:
                        add(a, b, strong)
    return pairs


def score_pairs(profiles: dict[int, Profile], pairs: dict[Pair, bool]) -> dict[Pair, Verdict]:
    """The verdicts of the pairs that are linked."""
    from rapidfuzz import fuzz, process

    from ..ads.similar import normalise_text

    hopeful: dict[int, list[int]] = defaultdict(list)
    for (a, b), strong in pairs.items():
        if strong or could_link(profiles[a], profiles[b]):
            hopeful[a].append(b)
    texts: dict[int, str] = {}

    def text(i: int) -> str:
        if i not in texts:
            texts[i] = normalise_text(profiles[i].text)
        return texts[i]

    verdicts = {}
    for a, others in hopeful.items():
        similarities = [0.0] * len(others)
        for _, similarity, index in process.extract(
            text(a), [text(b) for b in others], scorer=fuzz.token_set_ratio, processor=None, limit=None
        ):
            similarities[index] = similarity
        for b, similarity in zip(others, similarities):
            verdict = compare(profiles[a], profiles[b], similarity)
            if verdict.linked:
                verdicts[(a, b)] = verdict
    return verdicts


# --- clustering ----------------------------------------------------------------


class Clusters:
    """Union-find whose root is the smallest id, with pairs kept apart."""

    def __init__(self, ids: Iterable[int], apart: Iterable[Pair] = ()):
        self.parent = {i: i for i in ids}
        self.apart: dict[int, set[int]] = defaultdict(set)
        for a, b in apart:
            if a in self.parent and b in self.parent:
                self.apart[a].add(b)
                self.apart[b].add(a)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: int, b: int) -> bool:
        """Join the clusters of a and b; False if that would join an unlinked pair."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if any(self.find(x) == rb for x in self.apart.get(ra, ())):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if rb in self.apart:
            self.apart[ra] |= self.apart.pop(rb)
        return True

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in sorted(self.parent):
            out[self.find(i)].append(i)
        return out


def cluster(ids: Iterable[int], verdicts: dict[Pair, Verdict], links: list[Pair], unlinks: list[Pair],
            refused: list[Pair] | None = None, level: int = 0) -> dict[int, int]:
    """Situation id for every id; `refused` collects links an unlink stopped."""
    threshold = MATCH if level == 0 else STRICTER[level - 1]
    clusters = Clusters(ids, unlinks)
    for a, b in links:
        if a in clusters.parent and b in clusters.parent:
            clusters.join(a, b)
    edges = sorted((-v.score, a, b) for (a, b), v in verdicts.items() if v.linked and v.score >= threshold)
    for _, a, b in edges:
        if not clusters.join(a, b) and refused is not None and level == 0:
            refused.append((a, b))
    groups = clusters.groups()
    oversized = set()
    if level < len(STRICTER):
        oversized = {root for root, members in groups.items() if len(members) > MAX_CLUSTER}
    inside: dict[int, dict[Pair, Verdict]] = defaultdict(dict)
    if oversized:
        for (a, b), verdict in verdicts.items():
            root = clusters.find(a)
            if root in oversized and clusters.find(b) == root:
                inside[root][(a, b)] = verdict
    result = {}
    for root, members in groups.items():
        if root in oversized:
            result.update(cluster(members, inside[root], links, unlinks, None, level + 1))
        else:
            result.update(dict.fromkeys(members, root))
    return result


# --- running -------------------------------------------------------------------


def dedupe_all(db, *, dry_run: bool = False) -> DedupeResult:
    """Cluster every signal again, from the data and the director's decisions."""
    with _writing(db, dry_run), cycle_collector_paused():
        profiles, situation = load_profiles(db.conn)
        verdicts = score_pairs(profiles, candidate_pairs(profiles.values()))
        return _settle(db.conn, set(profiles), situation, verdicts, dry_run, full=True)


def dedupe_new(db, new_ids: Iterable[int], *, dry_run: bool = False) -> DedupeResult:
    """After an import: link the new signals to what they match, and cluster
    again the situations that touches."""
    new = set(new_ids)
    with _writing(db, dry_run), cycle_collector_paused():
        profiles, situation = load_profiles(db.conn) if new else ({}, {})
        new &= set(profiles)
        unsure: set[int] = set()
        pairs = candidate_pairs(profiles.values(), new, unsure) if new else {}
        verdicts = score_pairs(profiles, pairs)
        # A signal without a place that a new signal made ambiguous may hold a
        # link a full run would not make: its situation is grouped again too.
        partners = {i for pair in verdicts for i in pair} | unsure
        if partners:
            result = recluster(db.conn, profiles, situation, new | partners, dry_run, scored=(pairs, verdicts))
        else:
            count = _situation_count(db.conn)
            result = DedupeResult(situations_before=count, situations_after=count, dry_run=dry_run)
        result.new = len(new)
        return result


def recluster(conn, profiles, situation, ids: set[int], dry_run: bool,
              scored: tuple[dict[Pair, bool], dict[Pair, Verdict]] | None = None) -> DedupeResult:
    """Cluster again the situations of `ids` (every signal in them).
    `scored`: pairs already scored, and the verdicts of those linked."""
    touched = {situation[i] for i in ids}
    scope = {i for i, s in situation.items() if s in touched}
    pairs = candidate_pairs(profiles[i] for i in scope)
    verdicts: dict[Pair, Verdict] = {}
    if scored:
        done, verdicts = scored[0], dict(scored[1])
        pairs = {pair: strong for pair, strong in pairs.items() if pair not in done}
    verdicts.update(score_pairs(profiles, pairs))
    return _settle(conn, scope, situation, verdicts, dry_run, full=False)


def _writing(db, dry_run: bool):
    return contextlib.nullcontext(db) if dry_run else transaction(db)


def _settle(conn, scope: set[int], situation: dict[int, int], verdicts: dict[Pair, Verdict],
            dry_run: bool, full: bool) -> DedupeResult:
    links, unlinks = load_decisions(conn)
    refused: list[Pair] = []
    assigned = cluster(scope, verdicts, links, unlinks, refused)
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
        _write(conn, result.changes, matches, before - matches.keys())
    return result


def _situation_count(conn) -> int:
    return conn.execute("SELECT count(DISTINCT situation_id) FROM signals").fetchone()[0]


def _stored_pairs(conn, scope: set[int] | None) -> set[Pair]:
    pairs = set(conn.execute("SELECT a, b FROM signal_matches"))
    return pairs if scope is None else {p for p in pairs if p[0] in scope}


def _write(conn, changes: list[Change], matches: dict[Pair, Verdict], removed: set[Pair]) -> None:
    conn.executemany("UPDATE signals SET situation_id = ? WHERE id = ?", [(c.new, c.id) for c in changes])
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
